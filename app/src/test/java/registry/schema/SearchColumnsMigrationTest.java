package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.movie.Movie;
import registry.movie.MovieForm;
import registry.movie.Movies;
import registry.person.People;
import registry.person.Person;
import registry.person.PersonForm;
import registry.record.Records;
import registry.schema.Migrations.ChangeSetId;
import registry.support.Schema;
import registry.support.TestDb;

/**
 * 0018 gives each searched field a search column folded without case or accents: the rows already
 * there are filled in Java by the changeset (more than one batch of them), searches find them as
 * they find rows the app writes, and a downgrade takes the columns away leaving the rows as they were.
 */
class SearchColumnsMigrationTest {
    private static final String SEARCH = "0018-search-without-accents";
    /** More than the thousand rows {@link FillSearchColumns} reads at a time. */
    private static final int MOVIES = 2345;

    @TempDir
    Path dir;

    @Test
    void the_rows_already_there_are_found_ignoring_accents_after_the_upgrade_and_unchanged_after_the_downgrade() throws Exception {
        try (TestDb db = TestDb.empty(dir)) {
            List<ChangeSetId> all = db.migrations.pending();
            db.migrations.upgradeBy(all.stream().map(ChangeSetId::id).toList().indexOf(SEARCH));
            db.database.write(h -> {
                h.execute("INSERT INTO people (name, name_key, created_at, updated_at) VALUES ('Émile Zola', 'émile zola', ?, ?), "
                        + "('Emile Zola', 'emile zola', ?, ?)", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
                h.execute("INSERT INTO users (username, username_key, email, email_key, created_at, updated_at) "
                        + "VALUES ('zoe', 'zoe', 'Zoë@Exämple.org', 'zoë@exämple.org', ?, ?)", Instant.EPOCH, Instant.EPOCH);
                PreparedBatch movies = h.prepareBatch("INSERT INTO movies (title, title_key, year, created_at, updated_at) "
                        + "VALUES (:title, :key, 2001, :now, :now)");
                for (int i = 1; i <= MOVIES; i++) {
                    String title = i == MOVIES ? "Amélie" : "Film " + i;
                    movies.bind("title", title).bind("key", title.toLowerCase(java.util.Locale.ROOT)).bind("now", Instant.EPOCH).add();
                }
                movies.execute();
                return null;
            });
            Map<String, List<String>> before = rows(db);

            assertThat(db.migrations.upgradeBy(1)).extracting(ChangeSetId::id).containsExactly(SEARCH);
            List<String> people = db.database.read(h -> Schema.rows(h.getConnection(), "SELECT name, name_search FROM people ORDER BY id"));
            List<String> users = db.database.read(h -> Schema.rows(h.getConnection(), "SELECT username_search, email_search FROM users"));
            long filled = db.database.read(h -> h.createQuery("SELECT count(*) FROM movies WHERE title_search = lower(title)")
                    .mapTo(Long.class).one());
            Records<Person, PersonForm> peopleRecords = new Records<>(db.database, People.KIND);
            Records<Movie, MovieForm> movieRecords = new Records<>(db.database, Movies.KIND);

            assertThat(people).containsExactly("Émile Zola|emile zola", "Emile Zola|emile zola");
            assertThat(users).containsExactly("zoe|zoe@example.org");
            assertThat(filled).as("every plain title, past the first thousand").isEqualTo(MOVIES - 1);
            assertThat(names(peopleRecords, "EMILE")).containsExactly("Émile Zola", "Emile Zola");
            for (String q : List.of("ame", "AMELIE", "amé", "am")) {
                assertThat(movieRecords.list(movieRecords.query(Map.of("q", q)::get), false).items())
                        .as(q).extracting(Movie::title).containsExactly("Amélie");
            }

            assertThat(db.migrations.downgrade(1)).extracting(ChangeSetId::id).containsExactly(SEARCH);
            assertThat(rows(db)).isEqualTo(before);
            List<Schema.Column> columns = db.database.read(h -> Schema.columns(h.getConnection(), "people"));
            assertThat(columns).extracting(Schema.Column::name).doesNotContain("name_search");
        }
    }

    private static List<String> names(Records<Person, PersonForm> records, String q) {
        return records.list(records.query(Map.of("q", q)::get), false).items().stream().map(Person::name).toList();
    }

    private static Map<String, List<String>> rows(TestDb db) throws Exception {
        return db.database.read(h -> Map.of(
                "people", Schema.rows(h.getConnection(), "SELECT * FROM people ORDER BY id"),
                "users", Schema.rows(h.getConnection(), "SELECT * FROM users ORDER BY id"),
                "movies", Schema.rows(h.getConnection(), "SELECT * FROM movies ORDER BY id")));
    }
}
