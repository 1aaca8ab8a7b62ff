package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.Schema;
import registry.support.TestDb;

/**
 * {@code db upgrade} killed with SIGKILL inside a changeset, on a database of 100,000 users: the
 * database is at a changeset boundary with all its rows, the next command names the stale lock
 * and how to release it, and after {@code db unlock} the upgrade completes.
 */
@Tag("sqlite-only")
@Tag("slow")
class KillMigrationTest {
    private static final int USERS = 100_000;

    @TempDir
    Path dir;

    @Test
    void a_killed_upgrade_leaves_a_changeset_boundary_and_a_lock_that_unlock_releases() throws Exception {
        List<Map<String, String>> boundaries = boundaries();
        Random random = new Random(7);
        boolean killedInside = false;
        for (int attempt = 0; attempt < 4 && !killedInside; attempt++) {
            Path db = dir.resolve("attempt" + attempt).resolve("registry.db");
            prepare(db);

            Process upgrade = registry("db", "upgrade", "--no-backup", "--database-url", "jdbc:sqlite:" + db);
            waitForLock(db, upgrade);
            Thread.sleep(random.nextInt(250));
            upgrade.destroyForcibly(); // SIGKILL, inside whatever changeset is running
            assertThat(upgrade.waitFor(10, TimeUnit.SECONDS)).isTrue();

            try (TestDb after = TestDb.at(db)) {
                int applied = after.migrations.history().size();
                Map<String, String> schema = after.database.read(h -> Schema.of(h.getConnection()));
                long users = after.database.read(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
                List<String> integrity = after.database.read(h -> Schema.rows(h.getConnection(), "PRAGMA integrity_check"));
                assertThat(schema).as("schema after a kill with " + applied + " changesets recorded").isEqualTo(boundaries.get(applied));
                assertThat(users).isEqualTo(USERS);
                assertThat(integrity).containsExactly("ok");
                killedInside = after.migrations.lock().isPresent();
            }
            if (!killedInside) {
                continue; // the upgrade finished before the kill: try again with another moment
            }
            String check = cli("db", "check", "--database-url", "jdbc:sqlite:" + db);
            String unlock = cli("db", "unlock", "--database-url", "jdbc:sqlite:" + db);
            String finish = cli("db", "upgrade", "--no-backup", "--database-url", "jdbc:sqlite:" + db);

            assertThat(check).contains("The migration lock is held by", "since", "db unlock");
            assertThat(unlock).startsWith("Released the lock held by");
            assertThat(finish).contains("Applied");
            try (TestDb done = TestDb.at(db)) {
                assertThat(done.migrations.pending()).isEmpty();
                Map<String, String> schema = done.database.read(h -> Schema.of(h.getConnection()));
                assertThat(schema).isEqualTo(boundaries.get(boundaries.size() - 1));
            }
        }
        assertThat(killedInside).as("one of the kills landed inside the upgrade").isTrue();
    }

    /** The schema after 0, 1, … n changesets, recorded on a small database: it does not depend on the rows. */
    private List<Map<String, String>> boundaries() throws Exception {
        List<Map<String, String>> schemas = new ArrayList<>();
        try (TestDb small = TestDb.empty(dir.resolve("boundaries"))) {
            int total = small.migrations.pending().size();
            for (int i = 0; i <= total; i++) {
                schemas.add(small.database.read(h -> Schema.of(h.getConnection())));
                if (i < total) {
                    small.migrations.upgradeBy(1);
                }
            }
        }
        return schemas;
    }

    /** A database with the users table, its counter and 100,000 users, and the rest of the changelog pending. */
    private static void prepare(Path db) throws Exception {
        try (TestDb fresh = TestDb.empty(db.getParent())) {
            List<String> ids = fresh.migrations.pending().stream().map(Migrations.ChangeSetId::id).toList();
            fresh.migrations.upgradeBy(ids.indexOf("0005-search-users"));
            fresh.database.writeOne(h -> h.execute("""
                    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %d)
                    INSERT INTO users (username, username_key, email, email_key, created_at, updated_at)
                    SELECT 'user' || i, 'user' || i, 'user' || i || '@example.org', 'user' || i || '@example.org',
                           '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM seq""".formatted(USERS)));
        }
    }

    private static void waitForLock(Path db, Process upgrade) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            while (System.nanoTime() < deadline && upgrade.isAlive()) {
                try {
                    if (Schema.rows(c, "SELECT LOCKED FROM DATABASECHANGELOGLOCK WHERE ID = 1").contains("1")) {
                        return;
                    }
                } catch (java.sql.SQLException e) {
                    // the lock table is not there yet
                }
                Thread.sleep(2);
            }
        }
    }

    private static Process registry(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "registry.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        registry.cli.MainAccess.run(new PrintWriter(out, true), new PrintWriter(out, true), args);
        return out.toString();
    }
}
