package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.schema.Migrations.ChangeSetId;
import registry.support.Schema;
import registry.support.TestDb;

/** The changelog applied to a database that already holds 100,000 users, timed changeset by changeset. */
@Tag("sqlite-only")
@Tag("slow")
class MigrationTimingTest {
    private static final int USERS = 100_000;

    @TempDir
    Path dir;

    @Test
    void the_changelog_applies_over_100000_users_and_reports_each_changesets_time() throws Exception {
        try (TestDb db = TestDb.empty(dir)) {
            List<String> report = new ArrayList<>();
            List<ChangeSetId> pending = db.migrations.pending();
            int next = 0;
            while (!hasUsersTable(db)) {
                report.add(timed(db, pending.get(next++)));
            }
            fillUsers(db);
            while (next < pending.size()) {
                report.add(timed(db, pending.get(next++)));
            }

            System.out.println("Changeset times over " + USERS + " users:");
            report.forEach(line -> System.out.println("  " + line));
            long users = db.database.read(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
            assertThat(users).isEqualTo(USERS);
            assertThat(db.migrations.pending()).isEmpty();
            assertThat(report).hasSize(pending.size());
        }
    }

    private static String timed(TestDb db, ChangeSetId changeSet) {
        long start = System.nanoTime();
        assertThat(db.migrations.upgradeBy(1)).containsExactly(changeSet);
        return String.format("%7.1f ms  %s", (System.nanoTime() - start) / 1e6, changeSet);
    }

    private static boolean hasUsersTable(TestDb db) throws java.sql.SQLException {
        return db.database.read(h -> Schema.tables(h.getConnection()).contains("users"));
    }

    private static void fillUsers(TestDb db) throws java.sql.SQLException {
        db.database.write(h -> {
            Connection c = h.getConnection();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO users (username, username_key, email, email_key, "
                    + "created_at, updated_at) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')")) {
                for (int i = 0; i < USERS; i++) {
                    String name = "user" + i;
                    insert.setString(1, name);
                    insert.setString(2, name);
                    insert.setString(3, name + "@example.org");
                    insert.setString(4, name + "@example.org");
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }
}
