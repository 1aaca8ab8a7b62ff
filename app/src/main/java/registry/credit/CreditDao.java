package registry.credit;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The credits table, which links movies and people. */
interface CreditDao {
    /** A movie's credits with each person's name, in one query: directors first, then by name. */
    @SqlQuery("""
            SELECT c.person_id, p.name AS person_name, c.role
            FROM credits c JOIN people p ON p.id = c.person_id
            WHERE c.movie_id = :movieId
            ORDER BY CASE c.role WHEN 'director' THEN 1 WHEN 'writer' THEN 2 WHEN 'producer' THEN 3 ELSE 4 END, p.name_key""")
    List<Credit> forMovie(@Bind("movieId") long movieId);

    /** A credit with its movie and its person named, as its removal's confirmation asks about it. */
    record Named(long movieId, String movieTitle, long personId, String personName, String role) {}

    @SqlQuery("""
            SELECT c.movie_id, m.title AS movie_title, c.person_id, p.name AS person_name, c.role
            FROM credits c JOIN movies m ON m.id = c.movie_id JOIN people p ON p.id = c.person_id
            WHERE c.movie_id = :movieId AND c.person_id = :personId AND c.role = :role""")
    Optional<Named> named(@Bind("movieId") long movieId, @Bind("personId") long personId, @Bind("role") String role);

    @SqlQuery("SELECT count(*) FROM movies WHERE id = :id")
    int movies(@Bind("id") long id);

    @SqlQuery("SELECT title FROM movies WHERE id = :id")
    Optional<String> movieTitle(@Bind("id") long id);

    @SqlQuery("SELECT name FROM people WHERE id = :id")
    Optional<String> personName(@Bind("id") long id);

    /** A person as a credit names them. */
    record Who(long id, String name) {}

    /** The person whose name folds to {@code key} ({@link registry.db.CaseFold}): names are unique ignoring case. */
    @SqlQuery("SELECT id, name FROM people WHERE name_key = :key")
    Optional<Who> personByKey(@Bind("key") String key);

    @SqlUpdate("INSERT INTO credits (movie_id, person_id, role) VALUES (:movieId, :personId, :role)")
    int insert(@Bind("movieId") long movieId, @Bind("personId") long personId, @Bind("role") String role);

    @SqlUpdate("DELETE FROM credits WHERE movie_id = :movieId AND person_id = :personId AND role = :role")
    int delete(@Bind("movieId") long movieId, @Bind("personId") long personId, @Bind("role") String role);
}
