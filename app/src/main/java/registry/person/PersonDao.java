package registry.person;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What only people are asked: the rest of their SQL is every kind's (registry.record.RecordSql). */
interface PersonDao {
    /** People to pick from for a credit, by name; {@code limit} keeps a select box usable. */
    @SqlQuery("""
            SELECT id, name, born, created_at, updated_at, version FROM people
            WHERE name_search LIKE :pattern ESCAPE '!'
            ORDER BY name_key LIMIT :limit""")
    List<Person> pick(@Bind("pattern") String pattern, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*) FROM people WHERE id = :id")
    int people(@Bind("id") long id);

    /**
     * A person's credits with each movie, in one query through the index on credits.person_id:
     * newest movie first, a movie without a year after the dated ones, then by title.
     */
    @SqlQuery("""
            SELECT m.id AS movie_id, m.title AS movie_title, m.year AS movie_year, c.role
            FROM credits c JOIN movies m ON m.id = c.movie_id
            WHERE c.person_id = :id
            ORDER BY m.year IS NULL, m.year DESC, m.title_key, m.id, c.role""")
    List<People.Credit> credits(@Bind("id") long id);
}
