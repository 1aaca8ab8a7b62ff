package registry.user;

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
 * The users table. Sorts by name use the case-folded key columns, whose unique indexes serve
 * ORDER BY; created_at and updated_at have indexes of their own; the id tie-breaker keeps paging
 * stable when sort values repeat. The total comes from record_counts (kept by triggers) rather than
 * count(*), which reads a whole index. A search of three characters or more is answered by the
 * trigram index users_search (migrations/changes/0005-search-users.xml) and costs what its matches
 * cost, not what the table does; a shorter one is a LIKE over the keys.
 */
interface UserDao {
    /** Sortable fields and the column each sorts by; the only text that reaches ORDER BY. */
    Map<String, String> SORT_COLUMNS = Map.of(
            "id", "id",
            "username", "username_key",
            "email", "email_key",
            "created_at", "created_at",
            "updated_at", "updated_at");

    @SqlQuery("SELECT id, username, email, created_at, updated_at, version FROM users WHERE id = :id")
    Optional<User> findById(@Bind("id") long id);

    @SqlQuery("SELECT n FROM record_counts WHERE name = 'users'")
    long count();

    @SqlQuery("SELECT count(*) FROM users_search WHERE users_search MATCH :phrase")
    long countIndexed(@Bind("phrase") String phrase);

    @SqlQuery("""
            SELECT count(*) FROM users
            WHERE username_key LIKE :pattern ESCAPE '!' OR email_key LIKE :pattern ESCAPE '!'""")
    long countMatching(@Bind("pattern") String pattern);

    @SqlQuery("""
            SELECT id, username, email, created_at, updated_at, version FROM users
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""")
    Stream<User> list(@Define("sort") String sortColumn, @Define("order") String order,
                      @Bind("limit") long limit, @Bind("offset") long offset);

    @SqlQuery("""
            SELECT id, username, email, created_at, updated_at, version FROM users
            WHERE username_key LIKE :pattern ESCAPE '!' OR email_key LIKE :pattern ESCAPE '!'
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""")
    Stream<User> search(@Bind("pattern") String pattern, @Define("sort") String sortColumn, @Define("order") String order,
                        @Bind("limit") long limit, @Bind("offset") long offset);

    @SqlQuery("""
            SELECT id, username, email, created_at, updated_at, version FROM users
            WHERE id IN (SELECT rowid FROM users_search WHERE users_search MATCH :phrase)
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""")
    Stream<User> searchIndexed(@Bind("phrase") String phrase, @Define("sort") String sortColumn, @Define("order") String order,
                               @Bind("limit") long limit, @Bind("offset") long offset);

    @SqlUpdate("""
            INSERT INTO users (username, username_key, email, email_key, created_at, updated_at, version)
            VALUES (:username, :usernameKey, :email, :emailKey, :now, :now, 1)""")
    @GetGeneratedKeys("id")
    long insert(@Bind("username") String username, @Bind("usernameKey") String usernameKey,
                @Bind("email") String email, @Bind("emailKey") String emailKey, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE users
            SET username = :username, username_key = :usernameKey, email = :email, email_key = :emailKey,
                updated_at = :now, version = version + 1
            WHERE id = :id AND version = :version""")
    int update(@Bind("id") long id, @Bind("version") long version,
               @Bind("username") String username, @Bind("usernameKey") String usernameKey,
               @Bind("email") String email, @Bind("emailKey") String emailKey, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM users WHERE id = :id AND version = :version")
    int delete(@Bind("id") long id, @Bind("version") long version);
}
