package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.schema.Migrations.ChangeSetId;
import registry.support.TestDb;

/** A start parses the packaged changelog ahead, beside the opening of the database; what is pending and the update read that parse. */
class ParseAheadTest {
    @TempDir
    Path dir;

    @Test
    void the_changelog_parsed_ahead_is_the_packaged_one() {
        try (TestDb db = TestDb.empty(dir)) {
            List<ChangeSetId> parsedWhenAsked = new Migrations(db.database).changelog();
            Migrations migrations = new Migrations(db.database, Migrations.parseAhead());

            assertThat(migrations.pending()).isEqualTo(parsedWhenAsked).hasSizeGreaterThan(10);
            assertThat(migrations.upgrade()).isEqualTo(parsedWhenAsked);
            assertThat(new Migrations(db.database).pending()).isEmpty();
        }
    }

    @Test
    void a_parse_begun_before_the_command_line_is_read_is_taken_once_by_the_next_start() {
        try (TestDb db = TestDb.empty(dir)) {
            CompletableFuture<DatabaseChangeLog> early = Migrations.parseEarly();
            assertThat(Migrations.parseEarly()).isSameAs(early);
            assertThat(Migrations.parseAhead()).isSameAs(early);
            assertThat(Migrations.parseAhead()).isNotSameAs(early);

            CompletableFuture<DatabaseChangeLog> next = Migrations.parseEarly();
            Migrations migrations = new Migrations(db.database);
            assertThat(Migrations.parseAhead()).isNotSameAs(next);
            assertThat(migrations.upgrade()).isEqualTo(migrations.changelog()).hasSizeGreaterThan(10);
        }
    }

    @Test
    void the_update_runs_the_changelog_parsed_ahead_rather_than_parsing_it_again() {
        try (TestDb db = TestDb.empty(dir)) {
            // A parse cut after this engine's third changeset (the parse holds every engine's):
            // an update that parsed the changelog itself would apply them all.
            List<ChangeSetId> all = new Migrations(db.database).changelog();
            DatabaseChangeLog cut = Migrations.parseAhead().join();
            List<ChangeSet> parsed = cut.getChangeSets();
            int third = 0;
            for (int i = 0; i < parsed.size(); i++) {
                ChangeSet changeSet = parsed.get(i);
                if (new ChangeSetId(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor()).equals(all.get(2))) {
                    third = i;
                }
            }
            parsed.subList(third + 1, parsed.size()).clear();

            List<ChangeSetId> applied = new Migrations(db.database, CompletableFuture.completedFuture(cut)).upgrade();

            assertThat(applied).isEqualTo(all.subList(0, 3));
            assertThat(new Migrations(db.database).pending()).isEqualTo(all.subList(3, all.size()));
        }
    }

    @Test
    void when_the_parse_ahead_failed_the_changelog_is_parsed_again_where_it_is_needed() {
        try (TestDb db = TestDb.empty(dir)) {
            List<ChangeSetId> all = new Migrations(db.database).changelog();
            Migrations migrations = new Migrations(db.database, CompletableFuture.failedFuture(new IllegalStateException("no parse")));

            assertThat(migrations.pending()).isEqualTo(all);
            assertThat(migrations.upgrade()).isEqualTo(all);
        }
    }
}
