package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.schema.Migrations.ChangeSetId;
import registry.support.TestDb;

/** A first upgrade keeps the changelog Liquibase parsed to run it, and it is the one a separate read finds. */
class ChangelogKeptTest {
    @TempDir
    Path dir;

    @Test
    void the_changelog_kept_from_a_first_upgrade_is_the_whole_of_this_engines_changelog() {
        try (TestDb db = TestDb.empty(dir)) {
            Migrations first = new Migrations(db.database);
            assertThat(first.nothingApplied()).isTrue();

            List<ChangeSetId> applied = first.upgrade();

            List<ChangeSetId> parsedApart = new Migrations(db.database).changelog();
            assertThat(first.changelog()).isEqualTo(parsedApart).isEqualTo(applied);
            assertThat(first.pending()).isEmpty();
            assertThat(first.nothingApplied()).isFalse();
            // The tags of the changelog's tagDatabase changesets came with it.
            assertThat(first.toApply(java.util.Optional.of("v0.5"))).isEmpty();
        }
    }
}
