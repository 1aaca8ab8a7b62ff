package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.cli.MainAccess;
import registry.config.Config;

/**
 * The database file, its -wal and -shm, and every backup Registry writes are readable and
 * writable by their owner only (0600), though the tests run under a umask that lets others read.
 */
@Tag("sqlite-only")
class SqliteFilesTest {
    private static final String OWNER_ONLY = "rw-------";

    @TempDir
    Path dir;

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    @Test
    void a_new_database_and_its_wal_and_shm_are_the_owners_only() throws Exception {
        Path file = dir.resolve("registry.db");

        try (Database database = Database.open(Config.defaults().withDatabaseUrl("jdbc:sqlite:" + file))) {
            database.write(h -> h.execute("CREATE TABLE t (x INTEGER)"));
            database.write(h -> h.execute("INSERT INTO t VALUES (1)"));

            assertThat(sibling(file, "-wal")).exists();
            assertThat(sibling(file, "-shm")).exists();
            for (Path each : new Path[] {file, sibling(file, "-wal"), sibling(file, "-shm")}) {
                assertThat(mode(each)).as(each.toString()).isEqualTo(OWNER_ONLY);
            }
        }
    }

    @Test
    void an_existing_database_others_could_read_is_narrowed_to_its_owner_when_opened() throws Exception {
        Path file = dir.resolve("old.db");
        Path wal = sibling(file, "-wal");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.createFile(wal);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-r--r--"));

        try (Database database = Database.open(Config.defaults().withDatabaseUrl("jdbc:sqlite:" + file))) {
            database.write(h -> h.execute("CREATE TABLE t (x INTEGER)"));

            assertThat(mode(file)).isEqualTo(OWNER_ONLY);
            assertThat(mode(wal)).isEqualTo(OWNER_ONLY);
        }
    }

    @Test
    void every_backup_is_the_owners_only_db_backup_the_automatic_ones_and_the_copy_a_restore_keeps() throws Exception {
        Path live = dir.resolve("registry.db");
        String url = "jdbc:sqlite:" + live;
        assertThat(MainAccess.run("db", "upgrade", "--to", "v0.1", "--database-url", url).code()).isZero();

        MainAccess.Run upgrade = MainAccess.run("db", "upgrade", "--database-url", url);
        MainAccess.Run downgrade = MainAccess.run("db", "downgrade", "--yes", "--database-url", url);
        Path backup = dir.resolve("backup.db");
        MainAccess.Run backedUp = MainAccess.run("db", "backup", backup.toString(), "--database-url", url);
        MainAccess.Run restored = MainAccess.run("db", "restore", backup.toString(), "--database-url", url);

        assertThat(backedUp.code()).as(backedUp.err()).isZero();
        assertThat(mode(backup)).isEqualTo(OWNER_ONLY);
        for (MainAccess.Run run : new MainAccess.Run[] {upgrade, downgrade, restored}) {
            assertThat(run.code()).as(run.err()).isZero();
            Matcher automatic = Pattern.compile("(\\S*registry\\.db\\.\\d{8}-\\d{6}(-\\d+)?\\.bak)").matcher(run.out());
            assertThat(automatic.find()).as(run.out()).isTrue();
            assertThat(mode(Path.of(automatic.group(1)))).as(automatic.group(1)).isEqualTo(OWNER_ONLY);
        }
        assertThat(mode(live)).isEqualTo(OWNER_ONLY);
    }

    @Test
    void a_database_restored_where_none_was_is_the_owners_only() throws Exception {
        Path backup = dir.resolve("backup.db");
        try (Database database = Database.open(Config.defaults().withDatabaseUrl("jdbc:sqlite:" + dir.resolve("source.db")))) {
            new registry.schema.Migrations(database).upgrade();
        }
        assertThat(MainAccess.run("db", "backup", backup.toString(), "--database-url", "jdbc:sqlite:" + dir.resolve("source.db"))
                .code()).isZero();
        Path fresh = dir.resolve("fresh.db");

        MainAccess.Run restored = MainAccess.run("db", "restore", backup.toString(), "--no-backup", "--database-url", "jdbc:sqlite:" + fresh);

        assertThat(restored.code()).as(restored.err()).isZero();
        assertThat(mode(fresh)).isEqualTo(OWNER_ONLY);
    }

    @Test
    void a_backup_refuses_a_file_that_exists_and_leaves_it_as_it_was() throws Exception {
        Path live = dir.resolve("registry.db");
        assertThat(MainAccess.run("db", "upgrade", "--database-url", "jdbc:sqlite:" + live).code()).isZero();
        Path taken = Files.writeString(dir.resolve("taken.db"), "mine");

        MainAccess.Run run = MainAccess.run("db", "backup", taken.toString(), "--database-url", "jdbc:sqlite:" + live);

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("already exists; name a new file").hasLineCount(1);
        assertThat(Files.readString(taken)).isEqualTo("mine");
    }
}
