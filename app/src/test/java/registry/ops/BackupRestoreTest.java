package registry.ops;

import registry.db.Timestamps;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import registry.access.Role;
import registry.account.Accounts;
import registry.cli.MainAccess;
import registry.db.Settings;
import registry.support.ChildApp;
import registry.support.Schema;
import registry.support.TestDb;
import registry.support.TestServer;

/**
 * {@code db backup} while the app serves and writes, and {@code db restore}, which checks before it
 * replaces. Every backup carries the accounts and their tokens but no session and no signing key.
 */
class BackupRestoreTest {
    @TempDir
    Path dir;

    /** A migrated SQLite file in the test's folder holding one user, {@code username}. */
    private Path liveWithOneUser(String username) {
        Path live = dir.resolve("registry.db");
        try (TestDb db = TestDb.at(live)) {
            db.migrations.upgrade();
            insertUser(db, username);
        }
        return live;
    }

    @Test
    void a_backup_taken_while_the_app_writes_is_a_sound_snapshot_of_acknowledged_rows() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("live"))) {
            for (int i = 0; i < 50; i++) {
                assertThat(server.json("POST", "/api/users", user("early" + i)).statusCode()).isEqualTo(201);
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger acknowledged = new AtomicInteger(50);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                Thread thread = new Thread(() -> {
                    for (int i = 0; writing.get(); i++) {
                        if (server.newBrowser().json("POST", "/api/users", user("w" + writer + "n" + i)).statusCode() == 201) {
                            acknowledged.incrementAndGet();
                        }
                    }
                });
                thread.start();
                writers.add(thread);
            }
            Path backup = dir.resolve("backup.db");
            // Backed up while writes flow: each writer has had some acknowledged, however busy the machine.
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (acknowledged.get() < 50 + 2 * writers.size() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int before = acknowledged.get();
            assertThat(before - 50).as("writes acknowledged before the backup").isGreaterThanOrEqualTo(2 * writers.size());

            MainAccess.Run run = MainAccess.run("db", "backup", backup.toString(), "--database-url", server.db.config.databaseUrl());
            int after = acknowledged.get();
            writing.set(false);
            for (Thread thread : writers) {
                thread.join();
            }

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out()).contains("Backed up to " + backup.toAbsolutePath());
            try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + backup)) {
                assertThat(Schema.rows(copy, "PRAGMA integrity_check")).containsExactly("ok");
                int users = Integer.parseInt(Schema.rows(copy, "SELECT count(*) FROM users").get(0));
                assertThat(users).as("users in the backup, taken while writes went on").isBetween(before, after + 4);
                assertThat(Schema.rows(copy, "SELECT n FROM record_counts WHERE name = 'users'")).containsExactly(String.valueOf(users));
                List<String> live = server.db.database.read(h -> Schema.rows(h.getConnection(), "SELECT id, username, email, version FROM users"));
                assertThat(live).as("every backed-up user, as the app holds it").containsAll(
                        Schema.rows(copy, "SELECT id, username, email, version FROM users"));
            }
            MainAccess.Run again = MainAccess.run("db", "backup", backup.toString(), "--database-url", server.db.config.databaseUrl());
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.err()).contains("already exists").hasLineCount(1);
        }
    }

    @Test
    @Tag("sqlite-only")
    @Tag("slow")
    void restore_is_refused_while_the_app_runs_then_puts_the_backup_back_and_keeps_what_was_there() throws Exception {
        Path live = liveWithOneUser("monday");
        Path backup = dir.resolve("monday.db");
        String url = "jdbc:sqlite:" + live;
        assertThat(MainAccess.run("db", "backup", backup.toString(), "--database-url", url).code()).isZero();
        try (TestDb db = TestDb.at(live)) {
            insertUser(db, "tuesday");
        }

        try (ChildApp app = ChildApp.start(live)) {
            app.base();
            byte[] before = sha256(live);
            MainAccess.Run refused = MainAccess.run("db", "restore", backup.toString(), "--database-url", url);

            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("is in use (is Registry running on it?)").hasLineCount(1);
            assertThat(sha256(live)).isEqualTo(before);
            app.terminate();
        }
        MainAccess.Run restored = MainAccess.run("db", "restore", backup.toString(), "--database-url", url);

        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("Backup of the database as it was: ", "Restored " + live);
        assertThat(usernames(live)).containsExactly("monday");
        Path previous = Path.of(restored.out().split("Backup of the database as it was: ")[1].split("\\R")[0]);
        assertThat(usernames(previous)).containsExactly("monday", "tuesday");
        try (ChildApp app = ChildApp.start(live)) {
            assertThat(app.base()).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    @Tag("sqlite-only")
    void restore_checks_the_file_first_and_refuses_a_damaged_foreign_or_newer_one() throws Exception {
        Path live = liveWithOneUser("kept");
        String url = "jdbc:sqlite:" + live;
        Path good = dir.resolve("good.db");
        assertThat(MainAccess.run("db", "backup", good.toString(), "--database-url", url).code()).isZero();
        Path garbage = Files.writeString(dir.resolve("garbage.db"), "not a database at all, just text");
        Path truncated = dir.resolve("truncated.db");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path newer = dir.resolve("newer.db");
        Files.copy(good, newer);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer)) {
            c.createStatement().executeUpdate("INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE) "
                    + "VALUES ('9999-from-the-future', 'registry', 'migrations/changes/9999-from-the-future.xml', '2030-01-01', 99, 'EXECUTED')");
        }
        byte[] before = sha256(live);

        for (Path bad : List.of(garbage, truncated, newer, dir.resolve("missing.db"))) {
            MainAccess.Run run = MainAccess.run("db", "restore", bad.toString(), "--database-url", url);

            assertThat(run.code()).as(bad.toString()).isEqualTo(2);
            assertThat(run.err()).as(bad.toString()).hasLineCount(1);
        }
        assertThat(MainAccess.run("db", "restore", newer.toString(), "--database-url", url).err()).contains("made by a newer Registry");
        assertThat(MainAccess.run("db", "restore", garbage.toString(), "--database-url", url).err()).contains("is not a Registry database");
        assertThat(sha256(live)).isEqualTo(before);
        assertThat(usernames(live)).containsExactly("kept");
    }

    @Test
    @Tag("sqlite-only")
    @Tag("slow")
    void restore_from_an_automatic_backup_leaves_no_side_files_beside_it_or_the_database() throws Exception {
        Path live = liveWithOneUser("kept");
        String url = "jdbc:sqlite:" + live;
        MainAccess.Run down = MainAccess.run("db", "downgrade", "--database-url", url);
        String backup = down.out().split("Backup: ")[1].split("\\R")[0];

        MainAccess.Run restored = MainAccess.run("db", "restore", backup, "--database-url", url);

        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(usernames(live)).containsExactly("kept");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .as("the database, its migration lock, the backup restored from and the one of the database as it was; nothing else")
                    .hasSize(4).allMatch(name -> name.equals("registry.db") || name.equals("registry.db-lock")
                            || name.matches("registry\\.db\\.\\d{8}-\\d{6}(-\\d+)?\\.bak"));
        }
    }

    @Test
    void a_backup_carries_accounts_and_tokens_but_no_session_no_sign_in_failure_and_no_signing_key() throws Exception {
        Path backup = dir.resolve("accounts.db");
        String key;
        String session;
        try (TestDb db = TestDb.in(dir.resolve("live"))) {
            Signed signed = signedIn(db);
            key = signed.key();
            session = signed.sessionHash();

            MainAccess.Run run = MainAccess.run("db", "backup", backup.toString(), "--database-url", db.config.databaseUrl());

            assertThat(run.code()).as(run.err()).isZero();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup))).as("the owner's only").isEqualTo("rw-------");
        assertCleaned(backup, key, session);
        try (TestDb restored = TestDb.at(backup)) {
            assertThat(Settings.secretKey(restored.database)).as("a new signing key, made at the first start").isNotEqualTo(key);
        }
    }

    @Test
    void a_backup_carries_the_history_of_records_and_accounts() throws Exception {
        Path backup = dir.resolve("history.db");
        String columns = "SELECT id, actor, via, action, kind, record_id, label, changes FROM history ORDER BY id";
        List<String> live;
        try (TestDb db = TestDb.in(dir.resolve("live"))) {
            signedIn(db); // account entries: created, token created, signed in, sign-in failed
            registry.record.Records<registry.user.User, registry.user.UserForm> users =
                    new registry.record.Records<>(db.database, registry.user.Users.KIND);
            users.create(new registry.user.UserForm("ada", "ada@example.org"), registry.history.Actor.CLI);
            users.create(new registry.user.UserForm("bob", "bob@example.org"), new registry.history.Actor("keeper", "api"));
            live = db.database.read(h -> Schema.rows(h.getConnection(), columns));
            assertThat(live).as("record and account entries").hasSizeGreaterThanOrEqualTo(6);

            MainAccess.Run run = MainAccess.run("db", "backup", backup.toString(), "--database-url", db.config.databaseUrl());

            assertThat(run.code()).as(run.err()).isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup)) {
            List<String> copied = Schema.rows(c, columns);
            assertThat(copied).hasSameSizeAs(live);
            // The same entries, ids and all (at is left out: another engine keeps instants in its own type).
            assertThat(copied).containsExactlyElementsOf(live);
            assertThat(Schema.rows(c, "SELECT count(*) FROM history WHERE at IS NOT NULL")).containsExactly(String.valueOf(live.size()));
        }
    }

    @Test
    @Tag("sqlite-only")
    void the_automatic_backups_of_a_downgrade_and_a_restore_leave_out_the_same() throws Exception {
        Path live = dir.resolve("registry.db");
        String url = "jdbc:sqlite:" + live;
        String key;
        String session;
        try (TestDb db = TestDb.at(live)) {
            db.migrations.upgrade();
            Signed signed = signedIn(db);
            key = signed.key();
            session = signed.sessionHash();
        }

        MainAccess.Run down = MainAccess.run("db", "downgrade", "--to", "v0.2", "--yes", "--database-url", url);
        Path automatic = Path.of(down.out().split("Backup: ")[1].split("\\R")[0]);
        MainAccess.Run restored = MainAccess.run("db", "restore", automatic.toString(), "--database-url", url);
        Path previous = Path.of(restored.out().split("Backup of the database as it was: ")[1].split("\\R")[0]);

        assertThat(down.code()).as(down.err()).isZero();
        assertCleaned(automatic, key, session);
        assertThat(restored.code()).as(restored.err()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + previous)) {
            assertThat(Schema.rows(c, "SELECT count(*) FROM sqlite_master WHERE name = 'accounts'"))
                    .as("the database as it was, after the downgrade: no accounts tables to clean").containsExactly("0");
            assertThat(Schema.rows(c, "SELECT name FROM settings")).doesNotContain(Settings.SECRET_KEY);
        }
        assertThat(new String(Files.readAllBytes(previous), StandardCharsets.ISO_8859_1)).doesNotContain(key);
    }

    /** The signing key and the hash of a live session of a database with an account, its token and a failed sign-in. */
    private record Signed(String key, String sessionHash) {}

    private static Signed signedIn(TestDb db) {
        Accounts accounts = new Accounts(db.database, Clock.systemUTC(), 480);
        long id = accounts.add("keeper", Role.ADMIN, TestServer.PASSWORD, registry.history.Actor.CLI).id();
        accounts.createToken(id, "nightly", "write", null, registry.history.Actor.CLI);
        assertThat(accounts.signIn("keeper", TestServer.PASSWORD, "127.0.0.1", "test")).isInstanceOf(Accounts.SignIn.Done.class);
        assertThat(accounts.signIn("keeper", "not the password", "127.0.0.1", "test")).isInstanceOf(Accounts.SignIn.Wrong.class);
        String key = Settings.secretKey(db.database);
        String session = db.database.read(h -> h.createQuery("SELECT secret_hash FROM account_sessions").mapTo(String.class).one());
        return new Signed(key, session);
    }

    /** The backup holds the account and its token, and not a trace of the session, the failure or the key. */
    private static void assertCleaned(Path backup, String key, String sessionHash) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup)) {
            assertThat(Schema.rows(c, "SELECT username, role FROM accounts")).containsExactly("keeper|admin");
            assertThat(Schema.rows(c, "SELECT name, access FROM account_tokens")).containsExactly("nightly|write");
            assertThat(Schema.rows(c, "SELECT count(*) FROM account_sessions")).containsExactly("0");
            assertThat(Schema.rows(c, "SELECT count(*) FROM sign_in_failures")).containsExactly("0");
            assertThat(Schema.rows(c, "SELECT name FROM settings")).doesNotContain(Settings.SECRET_KEY);
        }
        byte[] file = Files.readAllBytes(backup);
        assertThat(file[18]).as("out of WAL mode (the header's write version): the scrub's deletes are in the file itself").isEqualTo((byte) 1);
        assertThat(backup.resolveSibling(backup.getFileName() + "-wal")).doesNotExist();
        String bytes = new String(file, StandardCharsets.ISO_8859_1);
        assertThat(bytes).as("the file, free pages included").doesNotContain(key).doesNotContain(sessionHash);
    }

    private static String user(String name) {
        return "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.org\"}";
    }

    private static void insertUser(TestDb db, String name) {
        db.database.write(h -> h.execute("INSERT INTO users (username, username_key, username_search, email, email_key, "
                + "email_search, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", name, name, name, name + "@example.org",
                name + "@example.org", name + "@example.org", Timestamps.now(), Timestamps.now()));
    }

    private static List<String> usernames(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return Schema.rows(c, "SELECT username FROM users ORDER BY id");
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
