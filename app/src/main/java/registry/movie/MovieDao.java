package registry.movie;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The movies table, built to stay fast at a million rows:
 * - the total comes from record_counts (kept by triggers), not count(*), which reads a whole index;
 * - every sortable column has an index (title by its folded key), and the id tie-breaker is the
 *   rowid each index already holds, so ORDER BY … LIMIT reads only the rows it returns; pages past
 *   the middle are read from the other end (see registry.web.Records#list), so the last page costs
 *   what the first does;
 * - a title search of three characters or more is answered by the trigram index movies_search
 *   (migrations/changes/0009-search-movies.xml) and costs what its matches cost; a shorter one is a
 *   LIKE scan of the folded titles.
 */
interface MovieDao {
    /** Sortable fields and the column each sorts by; the only text that reaches ORDER BY. */
    Map<String, String> SORT_COLUMNS = Map.of("id", "id", "title", "title_key", "year", "year",
            "created_at", "created_at", "updated_at", "updated_at");

    @SqlQuery("SELECT id, title, year, created_at, updated_at, version FROM movies WHERE id = :id")
    Optional<Movie> findById(@Bind("id") long id);

    @SqlQuery("SELECT n FROM record_counts WHERE name = 'movies'")
    long count();

    @SqlQuery("SELECT count(*) FROM movies_search WHERE movies_search MATCH :phrase")
    long countIndexed(@Bind("phrase") String phrase);

    @SqlQuery("SELECT count(*) FROM movies WHERE title_key LIKE :pattern ESCAPE '!'")
    long countMatching(@Bind("pattern") String pattern);

    @SqlQuery("""
            SELECT id, title, year, created_at, updated_at, version FROM movies
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""")
    Stream<Movie> list(@Define("sort") String sortColumn, @Define("order") String order,
                       @Bind("limit") long limit, @Bind("offset") long offset);

    @SqlQuery("""
            SELECT id, title, year, created_at, updated_at, version FROM movies
            WHERE id IN (SELECT rowid FROM movies_search WHERE movies_search MATCH :phrase)
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""")
    Stream<Movie> searchIndexed(@Bind("phrase") String phrase, @Define("sort") String sortColumn, @Define("order") String order,
                                @Bind("limit") long limit, @Bind("offset") long offset);

    @SqlQuery("""
            SELECT id, title, year, created_at, updated_at, version FROM movies
            WHERE title_key LIKE :pattern ESCAPE '!'
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""")
    Stream<Movie> search(@Bind("pattern") String pattern, @Define("sort") String sortColumn, @Define("order") String order,
                         @Bind("limit") long limit, @Bind("offset") long offset);

    @SqlQuery("SELECT count(*) FROM credits WHERE movie_id = :id")
    int credits(@Bind("id") long id);

    @SqlUpdate("""
            INSERT INTO movies (title, title_key, year, created_at, updated_at, version)
            VALUES (:title, :titleKey, :year, :now, :now, 1)""")
    @GetGeneratedKeys("id")
    long insert(@Bind("title") String title, @Bind("titleKey") String titleKey, @Bind("year") Integer year, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE movies SET title = :title, title_key = :titleKey, year = :year, updated_at = :now, version = version + 1
            WHERE id = :id AND version = :version""")
    int update(@Bind("id") long id, @Bind("version") long version, @Bind("title") String title,
               @Bind("titleKey") String titleKey, @Bind("year") Integer year, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM movies WHERE id = :id AND version = :version")
    int delete(@Bind("id") long id, @Bind("version") long version);
}
