package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.schema.Migrations.ChangeSetId;
import registry.support.Schema;
import registry.support.TestDb;

/** movies.name becomes movies.title in place, keeping every row both ways. */
class RenameMigrationTest {
    private static final String RENAME = "0008-rename-movies-name-to-title";

    @TempDir
    Path dir;

    @Test
    void renaming_name_to_title_keeps_the_rows_on_upgrade_and_on_downgrade() throws Exception {
        try (TestDb db = TestDb.empty(dir)) {
            List<ChangeSetId> all = db.migrations.pending();
            int before = all.stream().map(ChangeSetId::id).toList().indexOf(RENAME);
            db.migrations.upgradeBy(before);
            db.database.write(h -> h.execute("INSERT INTO movies (name, name_key, year, created_at, updated_at) "
                    + "VALUES ('Metropolis', 'metropolis', 1927, ?, ?)", Instant.EPOCH, Instant.EPOCH));

            db.migrations.upgradeBy(1);
            List<String> renamed = db.database.read(h -> Schema.rows(h.getConnection(), "SELECT id, title, title_key, year FROM movies"));
            List<String> indexes = db.database.read(h -> Schema.indexes(h.getConnection(), "movies"));
            db.migrations.downgrade(1);
            List<String> restored = db.database.read(h -> Schema.rows(h.getConnection(), "SELECT id, name, name_key, year FROM movies"));

            assertThat(renamed).containsExactly("1|Metropolis|metropolis|1927");
            assertThat(indexes).contains("movies_title_key_ix").doesNotContain("movies_name_key_ix");
            assertThat(restored).containsExactly("1|Metropolis|metropolis|1927");
        }
    }
}
