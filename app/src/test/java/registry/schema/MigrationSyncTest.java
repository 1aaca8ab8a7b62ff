package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.schema.Migrations.ChangeSetId;
import registry.support.TestDb;

/**
 * On SQLite an upgrade's commits are synced once, at its end: by then what it applied is in the
 * database file itself (the checkpoint that syncs it copies it there), and the write connection is
 * back to syncing every commit.
 */
@Tag("sqlite-only")
class MigrationSyncTest {
    @TempDir
    Path dir;

    @Test
    void what_an_upgrade_applied_is_in_the_database_file_when_it_returns_and_the_connection_syncs_again() throws Exception {
        Path file = dir.resolve("registry.db");
        try (TestDb db = TestDb.at(file)) {
            List<ChangeSetId> applied = new Migrations(db.database).upgrade();

            // The pools still hold the database open: without the checkpoint this would all be in the log alone.
            assertThat(changesetsInTheFileAlone(file)).isEqualTo(applied.size()).isGreaterThan(10);
            try (Connection connection = db.database.writeDataSource().getConnection(); Statement statement = connection.createStatement();
                 ResultSet synchronous = statement.executeQuery("PRAGMA synchronous")) {
                assertThat(synchronous.next()).isTrue();
                assertThat(synchronous.getInt(1)).as("2: FULL, the default").isEqualTo(2);
            }
        }
    }

    private long changesetsInTheFileAlone(Path file) throws Exception {
        Path copy = dir.resolve("file-alone.db");
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM DATABASECHANGELOG")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
