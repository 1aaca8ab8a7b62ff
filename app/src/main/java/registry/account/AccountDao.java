package registry.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Accounts, their sessions and tokens, and the sign-in throttle. Secrets are never stored: a
 * session or token is found by the SHA-256 of its secret (the unique index on {@code secret_hash}).
 */
interface AccountDao {
    String COLUMNS = "id, username, role, disabled_at, last_sign_in_at, created_at, updated_at, version";

    @SqlQuery("SELECT " + COLUMNS + " FROM accounts ORDER BY username_key")
    List<Account> list();

    @SqlQuery("SELECT " + COLUMNS + " FROM accounts WHERE id = :id")
    Optional<Account> find(@Bind("id") long id);

    @SqlQuery("SELECT " + COLUMNS + " FROM accounts WHERE username_key = :key")
    Optional<Account> findByKey(@Bind("key") String usernameKey);

    /** What a sign-in compares. */
    record Credentials(long id, String username, String role, String passwordHash, Instant disabledAt) {}

    @SqlQuery("SELECT id, username, role, password_hash, disabled_at FROM accounts WHERE username_key = :key")
    Optional<Credentials> credentials(@Bind("key") String usernameKey);

    @SqlQuery("SELECT id, username, role, password_hash, disabled_at FROM accounts WHERE id = :id")
    Optional<Credentials> credentials(@Bind("id") long id);

    @SqlQuery("SELECT COUNT(*) FROM accounts")
    long count();

    @SqlQuery("SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL")
    long enabledAdmins();

    /**
     * A no-op update of the enabled admins, first in a transaction that may leave none: it locks
     * their rows on PostgreSQL and MariaDB, so two admins demoting each other at once queue, and
     * the second counts what the first left (SQLite's one writer queues them anyway).
     */
    @SqlUpdate("UPDATE accounts SET version = version WHERE role = 'admin' AND disabled_at IS NULL")
    void lockAdmins();

    @SqlQuery("""
            INSERT INTO accounts (username, username_key, password_hash, role, created_at, updated_at)
            VALUES (:username, :key, :hash, :role, :now, :now)
            RETURNING id""")
    long insert(@Bind("username") String username, @Bind("key") String key, @Bind("hash") String hash, @Bind("role") String role,
                @Bind("now") Instant now);

    @SqlUpdate("UPDATE accounts SET role = :role, updated_at = :now, version = version + 1 WHERE id = :id")
    int setRole(@Bind("id") long id, @Bind("role") String role, @Bind("now") Instant now);

    @SqlUpdate("UPDATE accounts SET disabled_at = :disabledAt, updated_at = :now, version = version + 1 WHERE id = :id")
    int setDisabledAt(@Bind("id") long id, @Bind("disabledAt") Instant disabledAt, @Bind("now") Instant now);

    @SqlUpdate("UPDATE accounts SET password_hash = :hash, updated_at = :now, version = version + 1 WHERE id = :id")
    int setPassword(@Bind("id") long id, @Bind("hash") String hash, @Bind("now") Instant now);

    @SqlUpdate("UPDATE accounts SET last_sign_in_at = :now WHERE id = :id")
    void signedIn(@Bind("id") long id, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM accounts WHERE id = :id")
    int delete(@Bind("id") long id);

    // Sessions

    @SqlQuery("""
            INSERT INTO account_sessions (account_id, secret_hash, address, agent, created_at, last_seen_at)
            VALUES (:account, :hash, :address, :agent, :now, :now)
            RETURNING id""")
    long insertSession(@Bind("account") long accountId, @Bind("hash") String hash, @Bind("address") String address,
                       @Bind("agent") String agent, @Bind("now") Instant now);

    /** A live session and its account as it is now. */
    record LiveSession(long id, long accountId, String username, String role, Instant lastSeenAt) {}

    @SqlQuery("""
            SELECT s.id, s.account_id, a.username, a.role, s.last_seen_at
            FROM account_sessions s JOIN accounts a ON a.id = s.account_id
            WHERE s.secret_hash = :hash AND a.disabled_at IS NULL AND s.created_at > :bornAfter AND s.last_seen_at > :seenAfter""")
    Optional<LiveSession> liveSession(@Bind("hash") String hash, @Bind("bornAfter") Instant bornAfter, @Bind("seenAfter") Instant seenAfter);

    @SqlUpdate("UPDATE account_sessions SET last_seen_at = :now WHERE id = :id")
    void seen(@Bind("id") long id, @Bind("now") Instant now);

    /** A session as its account's page lists it. */
    record SessionInfo(long id, String address, String agent, Instant createdAt, Instant lastSeenAt) {}

    @SqlQuery("""
            SELECT id, address, agent, created_at, last_seen_at FROM account_sessions
            WHERE account_id = :account AND created_at > :bornAfter AND last_seen_at > :seenAfter
            ORDER BY last_seen_at DESC""")
    List<SessionInfo> sessions(@Bind("account") long accountId, @Bind("bornAfter") Instant bornAfter, @Bind("seenAfter") Instant seenAfter);

    @SqlUpdate("DELETE FROM account_sessions WHERE secret_hash = :hash")
    int endSession(@Bind("hash") String hash);

    @SqlUpdate("DELETE FROM account_sessions WHERE id = :id AND account_id = :account")
    int endSession(@Bind("account") long accountId, @Bind("id") long id);

    /** Every session of the account but {@code keep} (0: all of them). */
    @SqlUpdate("DELETE FROM account_sessions WHERE account_id = :account AND id <> :keep")
    int endSessions(@Bind("account") long accountId, @Bind("keep") long keep);

    @SqlUpdate("DELETE FROM account_sessions WHERE created_at < :bornBefore OR last_seen_at < :seenBefore")
    int purgeSessions(@Bind("bornBefore") Instant bornBefore, @Bind("seenBefore") Instant seenBefore);

    // Tokens

    @SqlQuery("""
            INSERT INTO account_tokens (account_id, name, access, secret_hash, created_at, expires_at)
            VALUES (:account, :name, :access, :hash, :now, :expiresAt)
            RETURNING id""")
    long insertToken(@Bind("account") long accountId, @Bind("name") String name, @Bind("access") String access,
                     @Bind("hash") String hash, @Bind("now") Instant now, @Bind("expiresAt") Instant expiresAt);

    /** A token that works, and its account as it is now. */
    record LiveToken(long id, long accountId, String username, String role, String name, String access, Instant lastUsedAt) {}

    @SqlQuery("""
            SELECT t.id, t.account_id, a.username, a.role, t.name, t.access, t.last_used_at
            FROM account_tokens t JOIN accounts a ON a.id = t.account_id
            WHERE t.secret_hash = :hash AND a.disabled_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now)""")
    Optional<LiveToken> liveToken(@Bind("hash") String hash, @Bind("now") Instant now);

    @SqlUpdate("UPDATE account_tokens SET last_used_at = :now WHERE id = :id")
    void tokenUsed(@Bind("id") long id, @Bind("now") Instant now);

    /** A token as its account's page lists it (never its secret, which is not kept). */
    record Token(long id, String name, String access, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {}

    @SqlQuery("SELECT id, name, access, created_at, last_used_at, expires_at FROM account_tokens WHERE account_id = :account ORDER BY id")
    List<Token> tokens(@Bind("account") long accountId);

    @SqlUpdate("DELETE FROM account_tokens WHERE id = :id AND account_id = :account")
    int revokeToken(@Bind("account") long accountId, @Bind("id") long id);

    // The sign-in throttle

    @SqlUpdate("INSERT INTO sign_in_failures (username_key, address, at) VALUES (:key, :address, :at)")
    void failed(@Bind("key") String usernameKey, @Bind("address") String address, @Bind("at") Instant at);

    /** Failures since a time, and when the first of them was. */
    record Failures(long count, Instant first) {}

    @SqlQuery("SELECT COUNT(*) AS count, MIN(at) AS first FROM sign_in_failures WHERE username_key = :key AND at > :since")
    Failures failuresOf(@Bind("key") String usernameKey, @Bind("since") Instant since);

    @SqlQuery("SELECT COUNT(*) AS count, MIN(at) AS first FROM sign_in_failures WHERE address = :address AND at > :since")
    Failures failuresFrom(@Bind("address") String address, @Bind("since") Instant since);

    @SqlUpdate("DELETE FROM sign_in_failures WHERE username_key = :key")
    void forgetFailures(@Bind("key") String usernameKey);

    @SqlUpdate("DELETE FROM sign_in_failures WHERE at < :before")
    void purgeFailures(@Bind("before") Instant before);
}
