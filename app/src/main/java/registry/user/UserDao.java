package registry.user;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The users table. Searches and name sorts use the case-folded key columns, whose unique indexes
 * also serve ORDER BY; created_at and updated_at have indexes of their own. The id tie-breaker
 * keeps paging stable when sort values repeat.
 */
@RegisterConstructorMapper(User.class)
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

    @SqlQuery("SELECT count(*) FROM users")
    long count();

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
