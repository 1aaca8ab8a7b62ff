package registry.schema;

import registry.db.Engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.Schema;
import registry.support.TestDb;
import registry.support.TestEngine;

class FailingChangesetTest {
    @TempDir
    Path dir;

    @Test
    void a_failing_changeset_leaves_the_database_as_it_was_before_it_and_says_which_and_why() throws Exception {
        try (TestDb db = TestDb.empty(dir)) {
            Migrations migrations = new Migrations(db.database, "testchangelogs/failing.xml");

            assertThatThrownBy(migrations::upgrade)
                    .isInstanceOf(MigrationException.class)
                    .hasMessageStartingWith("changeset testchangelogs/failing.xml::bad::test failed and was rolled back: ")
                    .hasMessageContaining("no_such_table")
                    .hasMessageNotContaining("\n");

            List<String> tables = db.database.read(h -> Schema.tables(h.getConnection()));
            List<String> kept = db.database.read(h -> Schema.rows(h.getConnection(), "SELECT name FROM kept"));
            if (TestEngine.ENGINE == Engine.MARIADB) {
                // MariaDB commits each CREATE TABLE as it runs: the rollback undoes the rows, not the table (README).
                assertThat(tables).containsExactly("half", "kept");
                List<String> half = db.database.read(h -> Schema.rows(h.getConnection(), "SELECT id FROM half"));
                assertThat(half).isEmpty();
            } else {
                assertThat(tables).containsExactly("kept");
            }
            assertThat(kept).containsExactly("row");
            assertThat(migrations.history()).extracting(a -> a.changeSet().id()).containsExactly("good");
            assertThat(migrations.lock()).isEmpty();
        }
    }
}
