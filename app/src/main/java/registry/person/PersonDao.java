package registry.person;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What only people are asked: the rest of their SQL is every kind's (registry.record.RecordSql). */
interface PersonDao {
    /** A person's credits, as the person's page lists them. */
    record Role(String role, long movieId, String title, Integer year) {}

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
}
