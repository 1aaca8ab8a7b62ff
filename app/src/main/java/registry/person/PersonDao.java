package registry.person;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The people table. Name search is a LIKE over the folded name key: people number in the
 * thousands, not millions, and a scan of one narrow index column stays fast at that size.
 */
interface PersonDao {
    /** Sortable fields and the column each sorts by; the only text that reaches ORDER BY. */
    Map<String, String> SORT_COLUMNS = Map.of("id", "id", "name", "name_key", "born", "born",
            "created_at", "created_at", "updated_at", "updated_at");

    /** A person's credits, as the person's page lists them. */
    record Role(String role, long movieId, String title, Integer year) {}

    @SqlQuery("SELECT id, name, born, created_at, updated_at, version FROM people WHERE id = :id")
    Optional<Person> findById(@Bind("id") long id);

    @SqlQuery("SELECT n FROM record_counts WHERE name = 'people'")
    long count();

    @SqlQuery("SELECT count(*) FROM people WHERE name_key LIKE :pattern ESCAPE '!'")
    long countMatching(@Bind("pattern") String pattern);

    @SqlQuery("""
            SELECT id, name, born, created_at, updated_at, version FROM people
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""")
    Stream<Person> list(@Define("sort") String sortColumn, @Define("order") String order,
                        @Bind("limit") long limit, @Bind("offset") long offset);

    @SqlQuery("""
            SELECT id, name, born, created_at, updated_at, version FROM people
            WHERE name_key LIKE :pattern ESCAPE '!'
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""")
    Stream<Person> search(@Bind("pattern") String pattern, @Define("sort") String sortColumn, @Define("order") String order,
                          @Bind("limit") long limit, @Bind("offset") long offset);

    /** People to pick from for a credit, by name; {@code limit} keeps a select box usable. */
    @SqlQuery("""
            SELECT id, name, born, created_at, updated_at, version FROM people
            WHERE name_key LIKE :pattern ESCAPE '!'
            ORDER BY name_key LIMIT :limit""")
    List<Person> pick(@Bind("pattern") String pattern, @Bind("limit") int limit);

    /** Newest first within each role; a movie without a year after the dated ones. */
    @SqlQuery("""
            SELECT c.role, m.id AS movie_id, m.title, m.year
            FROM credits c JOIN movies m ON m.id = c.movie_id
            WHERE c.person_id = :id
            ORDER BY c.role, m.year IS NULL, m.year DESC, m.title_key""")
    List<Role> filmography(@Bind("id") long id);

    @SqlQuery("SELECT count(*) FROM credits WHERE person_id = :id")
    int credits(@Bind("id") long id);

    @SqlUpdate("""
            INSERT INTO people (name, name_key, born, created_at, updated_at, version)
            VALUES (:name, :nameKey, :born, :now, :now, 1)""")
    @GetGeneratedKeys("id")
    long insert(@Bind("name") String name, @Bind("nameKey") String nameKey, @Bind("born") Integer born, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE people SET name = :name, name_key = :nameKey, born = :born, updated_at = :now, version = version + 1
            WHERE id = :id AND version = :version""")
    int update(@Bind("id") long id, @Bind("version") long version, @Bind("name") String name,
               @Bind("nameKey") String nameKey, @Bind("born") Integer born, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM people WHERE id = :id AND version = :version")
    int delete(@Bind("id") long id, @Bind("version") long version);
}
