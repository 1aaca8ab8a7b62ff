package registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.db.Engine;
import registry.support.Schema;
import registry.support.TestDb;
import registry.support.TestEngine;

/** The db commands through the command line, as a user or a script runs them. */
class DbCommandTest {
    private static final String USERS = "migrations/changes/0001-create-users.xml::0001-create-users::registry";
    private static final String TAG = "migrations/changes/0003-tag-v0.1.xml::0003-tag-v0.1::registry";

    @TempDir
    Path dir;

    /** The whole changelog, in order, as a fresh database sees it. */
    private List<String> all;
    /** The database the commands run on, new for each test. */
    private String url;

    @org.junit.jupiter.api.BeforeEach
    void readChangelog(@TempDir Path scratch) {
        url = TestEngine.newDatabaseUrl(dir);
        try (TestDb fresh = TestDb.empty(scratch)) {
            all = fresh.migrations.pending().stream().map(Object::toString).toList();
        }
        assertThat(all).contains(USERS, TAG);
    }

    private String last() {
        return all.get(all.size() - 1);
    }

    /** The last changeset that tags a release ({@code NNNN-tag-vX.Y}): changesets after it are the next release's, untagged yet. */
    private String lastRelease() {
        return all.stream().filter(c -> c.contains("-tag-v")).reduce((a, b) -> b).orElseThrow();
    }

    /** The release tag that {@link #lastRelease} sets: "v0.5". */
    private String lastReleaseTag() {
        String id = lastRelease().split("::")[1];
        return id.substring(id.indexOf("-tag-") + "-tag-".length());
    }

    /** How many changesets up to and including the v0.1 tag. */
    private int upToRelease() {
        return all.indexOf(TAG) + 1;
    }

    private MainAccess.Run db(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "db";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--database-url";
        full[args.length + 2] = url;
        return MainAccess.run(full);
    }

    /** The SQLite file of the database. */
    private Path file() {
        return dir.resolve("registry.db");
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(Engine.driverUrl(url));
    }

    private Connection connect(Path sqliteFile) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
    }

    @Test
    void check_exits_1_listing_pending_changesets_then_0_after_upgrade() {
        MainAccess.Run before = db("check");
        MainAccess.Run upgrade = db("upgrade");
        MainAccess.Run after = db("check");

        assertThat(before.code()).isEqualTo(1);
        assertThat(before.out()).contains("Pending: " + all.size() + " changeset(s):", "  " + USERS, "  " + TAG);
        assertThat(upgrade.code()).isZero();
        assertThat(upgrade.out()).contains("Applied " + all.size() + " changeset(s):", USERS).doesNotContain("Backup:");
        assertThat(after.code()).isZero();
        assertThat(after.out()).isEqualTo("Schema is current." + System.lineSeparator());
    }

    @Test
    void history_lists_applied_changesets_oldest_first_with_their_tags_and_current_shows_the_last() {
        db("upgrade");

        MainAccess.Run history = db("history");
        MainAccess.Run current = db("current");

        List<String> lines = history.out().lines().toList();
        assertThat(lines).hasSize(all.size());
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*" + Pattern.quote(USERS));
        assertThat(lines.get(upToRelease() - 1)).endsWith(TAG + "  [tag v0.1]");
        assertThat(current.out()).startsWith("Changeset: " + last() + System.lineSeparator()).contains("Tag: v");
    }

    @Test
    @Tag("sqlite-only")
    void downgrade_takes_an_online_backup_first_and_rolls_back_one_by_default() throws Exception {
        db("upgrade");
        try (Connection c = connect()) {
            c.createStatement().executeUpdate("INSERT INTO users (username, username_key, username_search, email, email_key, "
                    + "email_search, created_at, updated_at) VALUES ('kept', 'kept', 'kept', 'kept@example.org', 'kept@example.org', "
                    + "'kept@example.org', 'x', 'x')");
        }

        MainAccess.Run run = db("downgrade");

        assertThat(run.code()).isZero();
        Matcher backup = Pattern.compile("Backup: (.*registry\\.db\\.\\d{8}-\\d{6}(-\\d+)?\\.bak)").matcher(run.out());
        assertThat(backup.find()).as(run.out()).isTrue();
        assertThat(run.out()).contains("Rolled back 1 changeset(s):", last());
        try (Connection copy = connect(Path.of(backup.group(1)))) {
            assertThat(Schema.rows(copy, "SELECT username FROM users")).containsExactly("kept");
            assertThat(Schema.rows(copy, "SELECT count(*) FROM DATABASECHANGELOG")).containsExactly(String.valueOf(all.size()));
        }
    }

    @Test
    @Tag("sqlite-only")
    void no_backup_skips_the_backup() throws Exception {
        db("upgrade");

        MainAccess.Run run = db("downgrade", "--no-backup");

        assertThat(run.out()).doesNotContain("Backup:");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".bak"));
        }
    }

    @Test
    void downgrade_to_a_tag_and_upgrade_to_it() {
        db("upgrade");
        MainAccess.Run toRelease = db("downgrade", "--to", "v0.1", "--no-backup");
        MainAccess.Run current = db("current");
        MainAccess.Run everything = db("downgrade", String.valueOf(upToRelease()), "--no-backup");
        MainAccess.Run upToRelease = db("upgrade", "--to", "v0.1", "--no-backup");

        assertThat(toRelease.code()).isZero();
        assertThat(toRelease.out()).contains("Rolled back " + (all.size() - upToRelease()) + " changeset(s):");
        assertThat(current.out()).isEqualTo("Changeset: " + TAG + System.lineSeparator() + "Tag: v0.1" + System.lineSeparator());
        assertThat(everything.out()).contains("Rolled back " + upToRelease() + " changeset(s):");
        assertThat(everything.out().indexOf(TAG)).isLessThan(everything.out().indexOf(USERS));
        assertThat(upToRelease.out()).contains("Applied " + upToRelease() + " changeset(s):");
    }

    @Test
    void tag_marks_the_current_state_for_a_later_downgrade() {
        db("upgrade", "--to", "v0.1");
        db("downgrade", "--no-backup");

        MainAccess.Run tag = db("tag", "before-release");
        db("upgrade", "--to", "v0.1", "--no-backup");
        MainAccess.Run back = db("downgrade", "--to", "before-release", "--no-backup");

        assertThat(tag.code()).isZero();
        assertThat(tag.out()).contains("as before-release.");
        assertThat(back.out()).contains("Rolled back 1 changeset(s):", TAG);
        assertThat(db("check").code()).isEqualTo(1);
    }

    @Test
    void tag_after_a_fresh_install_of_a_release_keeps_the_release_tag_and_downgrade_comes_back_to_either() {
        db("upgrade", "--to", lastReleaseTag());
        MainAccess.Run fresh = db("tag", "fresh");
        MainAccess.Run nothingToUndo = db("downgrade", "--to", "fresh", "--no-backup");
        String releaseTag = db("history").out().lines().reduce((a, b) -> b).orElseThrow().replaceAll(".*\\[tag (\\S+), fresh]$", "$1");
        db("downgrade", "--to", "v0.1", "--no-backup");

        MainAccess.Run tag = db("tag", "before-import");
        MainAccess.Run twice = db("tag", "before-import");
        MainAccess.Run history = db("history");
        db("upgrade", "--no-backup");
        MainAccess.Run back = db("downgrade", "--to", "before-import", "--no-backup");
        MainAccess.Run current = db("current");
        MainAccess.Run toRelease = db("downgrade", "--to", "v0.1", "--no-backup");
        db("downgrade", "--no-backup");
        MainAccess.Run forgotten = db("downgrade", "--to", "before-import", "--no-backup");
        db("upgrade", "--to", lastReleaseTag(), "--no-backup");
        MainAccess.Run releaseKept = db("downgrade", "--to", releaseTag, "--no-backup");

        assertThat(fresh.code()).as(fresh.err()).isZero();
        assertThat(fresh.out()).contains("Tagged " + lastRelease() + " as fresh.");
        assertThat(nothingToUndo.out()).contains("Nothing to roll back");
        assertThat(releaseTag).as("the release tag of the release's last changeset, kept beside the user's").isEqualTo(lastReleaseTag());
        assertThat(tag.code()).as(tag.err()).isZero();
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("tag before-import already marks " + TAG);
        assertThat(history.out()).contains(TAG + "  [tag v0.1, before-import]");
        assertThat(back.code()).as(back.err()).isZero();
        assertThat(back.out()).contains("Rolled back " + (all.size() - upToRelease()) + " changeset(s):", last());
        assertThat(current.out()).isEqualTo("Changeset: " + TAG + System.lineSeparator() + "Tag: before-import" + System.lineSeparator());
        assertThat(toRelease.out()).contains("Nothing to roll back");
        assertThat(forgotten.code()).as("the tag went with the changeset it marked").isEqualTo(2);
        assertThat(releaseKept.code()).as(releaseKept.err()).isZero();
        assertThat(releaseKept.out()).contains("Nothing to roll back");
    }

    @Test
    void sql_prints_what_upgrade_would_run_and_changes_nothing() throws Exception {
        db("upgrade", "--to", "v0.1");
        db("downgrade", "2", "--no-backup");
        Map<String, String> schemaBefore;
        List<String> historyBefore;
        try (Connection c = connect()) {
            schemaBefore = Schema.of(c);
            historyBefore = Schema.rows(c, "SELECT * FROM DATABASECHANGELOG");
        }
        byte[] bytesBefore = TestEngine.ENGINE == Engine.SQLITE ? sha256(file()) : null;

        MainAccess.Run sql = db("sql");

        assertThat(sql.code()).isZero();
        // PostgreSQL's and MariaDB's SQL name the schema; PostgreSQL's writes the changelog table in lower case.
        assertThat(sql.out()).containsPattern("CREATE TABLE (\\w+\\.)?settings")
                .containsPattern("(?i)INSERT INTO (\\w+\\.)?DATABASECHANGELOG").doesNotContainPattern("CREATE TABLE (\\w+\\.)?users");
        if (bytesBefore != null) {
            assertThat(sha256(file())).as("the SQLite file, byte for byte").isEqualTo(bytesBefore);
        }
        try (Connection c = connect()) {
            assertThat(Schema.of(c)).isEqualTo(schemaBefore);
            assertThat(Schema.rows(c, "SELECT * FROM DATABASECHANGELOG")).isEqualTo(historyBefore);
            assertThat(Schema.rows(c, "SELECT count(*) FROM DATABASECHANGELOGLOCK WHERE LOCKEDBY IS NOT NULL")).containsExactly("0");
        }
        assertThat(db("check").code()).isEqualTo(1);
    }

    @Test
    void sql_on_a_new_database_creates_nothing() throws Exception {
        MainAccess.Run sql = db("sql");

        assertThat(sql.out()).containsPattern("CREATE TABLE (\\w+\\.)?users").containsPattern("(?i)CREATE TABLE (\\w+\\.)?DATABASECHANGELOG ");
        try (Connection c = connect()) {
            assertThat(Schema.allTables(c)).isEmpty();
        }
    }

    @Test
    void sql_to_an_unknown_tag_is_an_error_like_upgrade_to_it() throws Exception {
        MainAccess.Run sql = db("sql", "--to", "nosuch");

        assertThat(sql.code()).isEqualTo(2);
        assertThat(sql.err().strip()).isEqualTo("registry: unknown tag nosuch: no changeset of the changelog sets it");
        assertThat(sql.out()).isEmpty();
        try (Connection c = connect()) {
            assertThat(Schema.allTables(c)).isEmpty();
        }
    }

    @Test
    void unlock_says_who_held_the_lock_since_when_and_releases_it() throws Exception {
        db("upgrade");
        try (Connection c = connect(); var lock = c.prepareStatement(
                "UPDATE DATABASECHANGELOGLOCK SET LOCKED = ?, LOCKEDBY = 'killed-host (10.0.0.9)', LOCKGRANTED = '2026-11-20 10:00:00' WHERE ID = 1")) {
            lock.setBoolean(1, true);
            lock.executeUpdate();
        }

        MainAccess.Run unlock = db("unlock");
        MainAccess.Run again = db("unlock");

        assertThat(unlock.code()).isZero();
        assertThat(unlock.out()).isEqualTo("Released the lock held by killed-host (10.0.0.9) since 2026-11-20 10:00:00."
                + System.lineSeparator());
        assertThat(again.out()).contains("No lock is held.");
    }

    @Test
    void bad_arguments_are_one_line_and_exit_2() {
        db("upgrade");

        MainAccess.Run zero = db("downgrade", "0");
        MainAccess.Run both = db("downgrade", "1", "--to", "v0.1");
        MainAccess.Run noSuchTag = db("downgrade", "--to", "v9.9", "--no-backup");
        MainAccess.Run unknown = db("frobnicate");

        assertThat(List.of(zero, both, noSuchTag)).allSatisfy(run -> {
            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).startsWith("registry: ").hasLineCount(1);
        });
        assertThat(noSuchTag.err()).contains("v9.9");
        assertThat(unknown.code()).isEqualTo(2);
    }

    @Test
    @Tag("slow")
    void downgrade_that_would_drop_tables_holding_rows_names_them_and_refuses_without_yes() throws Exception {
        db("upgrade");
        try (Connection c = connect(); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO people (name, name_key, name_search, created_at, updated_at) "
                    + "VALUES ('Agnès Varda', 'agnès varda', 'agnes varda', '2026-01-01 00:00:00', '2026-01-01 00:00:00')");
            s.executeUpdate("INSERT INTO movies (title, title_key, title_search, created_at, updated_at) "
                    + "VALUES ('Cléo', 'cléo', 'cleo', '2026-01-01 00:00:00', '2026-01-01 00:00:00')");
            s.executeUpdate("INSERT INTO movies (title, title_key, title_search, created_at, updated_at) "
                    + "VALUES ('Vagabond', 'vagabond', 'vagabond', '2026-01-01 00:00:00', '2026-01-01 00:00:00')");
            s.executeUpdate("INSERT INTO credits (movie_id, person_id, role) VALUES (1, 1, 'director')");
        }

        MainAccess.Run refused = db("downgrade", "--to", "v0.1");
        MainAccess.Run current = db("current");
        // Back to the v0.2 release: what came after it holds no rows here.
        MainAccess.Run harmless = db("downgrade", "--to", "v0.2", "--no-backup");
        MainAccess.Run forced = db("downgrade", "2", "--force", "--no-backup");
        MainAccess.Run yes = db("downgrade", "--to", "v0.1", "--yes");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).hasLineCount(1).contains("credits (1 row)", "movies (2 rows)", "people (1 row)", "--yes")
                .doesNotContain("record_counts", "_search", "DATABASECHANGELOG", "users");
        assertThat(refused.out()).doesNotContain("Backup:");
        assertThat(current.out()).as("nothing rolled back").startsWith("Changeset: " + last());
        assertThat(harmless.code()).as("the changesets after v0.2 hold no rows: " + harmless.err()).isZero();
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("Rolled back 2 changeset(s):", "Dropped or emptied: credits (1 row)").doesNotContain("db restore");
        assertThat(yes.code()).as(yes.err()).isZero();
        assertThat(yes.out()).contains("Dropped or emptied: movies (2 rows)");
        try (Connection c = connect()) {
            assertThat(Schema.allTables(c)).doesNotContain("movies", "people", "credits");
        }
        if (TestEngine.ENGINE == Engine.SQLITE) {
            Matcher backup = Pattern.compile("Backup: (\\S+\\.bak)").matcher(yes.out());
            assertThat(backup.find()).as(yes.out()).isTrue();
            assertThat(yes.out()).contains("db restore " + backup.group(1));
            try (Connection copy = connect(Path.of(backup.group(1)))) {
                assertThat(Schema.rows(copy, "SELECT title FROM movies ORDER BY id")).containsExactly("Cléo", "Vagabond");
            }
        }
    }

    @Test
    @Tag("slow")
    @Tag("sqlite-only")
    void an_unknown_tag_or_nothing_to_do_takes_no_backup() throws Exception {
        db("upgrade");
        db("tag", "fresh");

        List<MainAccess.Run> unknown = List.of(db("downgrade", "--to", "nosuchtag"), db("upgrade", "--to", "nosuch"));
        MainAccess.Run current = db("upgrade");
        MainAccess.Run toApplied = db("upgrade", "--to", "v0.1");
        MainAccess.Run nothingAfter = db("downgrade", "--to", "fresh");

        assertThat(unknown).allSatisfy(run -> {
            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).startsWith("registry: ").contains("unknown tag").hasLineCount(1);
            assertThat(run.out()).doesNotContain("Backup:");
        });
        assertThat(current.out()).isEqualTo("Already current." + System.lineSeparator());
        assertThat(toApplied.out()).startsWith("Nothing to apply").doesNotContain("Backup:");
        assertThat(nothingAfter.out()).startsWith("Nothing to roll back").doesNotContain("Backup:");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".bak"));
        }
    }

    @Test
    @Tag("slow")
    @Tag("sqlite-only")
    void only_the_newest_automatic_backups_are_kept() throws Exception {
        db("upgrade");
        List<String> old = List.of("registry.db.20250101-000000.bak", "registry.db.20250102-000000.bak",
                "registry.db.20250102-000000-2.bak", "registry.db.20250103-000000.bak");
        List<String> others = List.of("registry.db.monday.bak", "other.db.20200101-000000.bak", "registry.db.20200101-000000.bak.txt");
        for (String name : concat(old, others)) {
            Files.writeString(dir.resolve(name), "x");
        }
        Path config = Files.writeString(dir.resolve("registry.properties"), "database.keep-backups=3\n");

        MainAccess.Run run = db("downgrade", "--config", config.toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Removed 2 old backup(s), keeping the newest 3 (database.keep-backups): "
                + "registry.db.20250101-000000.bak, registry.db.20250102-000000.bak");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> !name.startsWith("registry.db-")))
                    .hasSize(1 + 3 + others.size() + 1)
                    .contains("registry.db.20250102-000000-2.bak", "registry.db.20250103-000000.bak")
                    .containsAll(others)
                    .doesNotContain(old.get(0), old.get(1));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    @Test
    void every_db_command_has_help() {
        for (String command : List.of("upgrade", "downgrade", "history", "current", "check", "sql", "tag", "new", "unlock",
                "backup", "restore", "copy")) {
            MainAccess.Run help = MainAccess.run("db", command, "--help");
            assertThat(help.code()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: registry db " + command);
        }
    }

    @Test
    void check_in_a_checkout_whose_migrations_the_jar_carries_warns_of_nothing() {
        MainAccess.Run check = db("check");

        assertThat(check.err()).isEmpty();
        assertThat(DbCommand.Check.unbuilt(List.of("0012-add-phone.xml", "0013-add-fax.xml"))).contains("migrations/ holds changesets"
                + " this jar does not: 0012-add-phone.xml, 0013-add-fax.xml; rebuild the jar (mvn -B -q package -DskipTests)");
        assertThat(DbCommand.Check.unbuilt(List.of())).isEmpty();
    }

    @Test
    @Tag("sqlite-only")
    void new_names_the_project_author_unless_told() {
        MainAccess.Run help = MainAccess.run("db", "new", "--help");

        assertThat(help.out()).contains("--author=NAME", "(default: registry,");
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
