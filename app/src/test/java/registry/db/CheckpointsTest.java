package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.TestDb;

/** SQLite's checkpoints run on a thread of their own, soon after the writer's commits, not inside them. */
@Tag("sqlite-only")
class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void what_the_writer_commits_is_checkpointed_soon_after_on_another_thread() throws Exception {
        try (TestDb db = TestDb.sqlite(dir)) {
            for (int i = 0; i < 200; i++) {
                int n = i;
                db.database.write(h -> h.execute("INSERT INTO settings (name, value) VALUES (?, 'v')", "checkpoint." + n));
            }
            // A few hundred pages in the log: SQLite alone would checkpoint at 1,000, inside a commit.
            long deadline = System.nanoTime() + 5_000_000_000L;
            long inFile;
            do {
                Thread.sleep(50);
                inFile = rowsInTheFileAlone();
            } while (inFile < 200 && System.nanoTime() < deadline);

            assertThat(inFile).as("rows copied from the log into the database file").isEqualTo(200);
        }
    }

    /** The rows a copy of the database file without its log holds: what checkpoints have copied there. */
    private long rowsInTheFileAlone() throws Exception {
        Path copy = dir.resolve("file-alone.db");
        Files.deleteIfExists(dir.resolve("file-alone.db-wal"));
        Files.copy(dir.resolve("registry.db"), copy, StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM settings WHERE name LIKE 'checkpoint.%'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return -1; // copied in the middle of a checkpoint: the next try
        }
    }
}
