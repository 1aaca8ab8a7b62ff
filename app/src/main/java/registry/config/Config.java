package registry.config;

import java.util.Optional;

/**
 * Everything Registry reads from its surroundings, resolved once at start-up and passed down.
 * Tests build one directly; nothing reads the environment after this is made.
 */
public record Config(
        String databaseUrl,
        boolean databaseEcho,
        boolean recordQueries,
        Optional<Integer> poolSize,
        int poolTimeoutSeconds,
        boolean migrateOnStart,
        String host,
        int port,
        Optional<String> secretKey,
        int keepBackups,
        Security security,
        int historyKeepDays,
        int importMaxBytes,
        Synchronous sqliteSynchronous) {

    /**
     * {@code database.sqlite-synchronous}: when SQLite's commit returns. {@code FULL}, the default,
     * once the commit is synced to the disk, so an acknowledged write survives a power loss;
     * {@code NORMAL} once it is in the write-ahead log in the OS's cache: it survives the app
     * crashing, but a power loss or OS crash may take the last commits (never corrupting the file).
     */
    public enum Synchronous { FULL, NORMAL }

    /** How many automatic backups beside a SQLite database {@code db upgrade}/{@code downgrade}/{@code restore} keep. */
    public static final int KEEP_BACKUPS = 5;

    /** {@code history.keep-days}' default: history entries are kept forever. */
    public static final int KEEP_HISTORY_FOREVER = 0;

    /** {@code import.max-bytes}' default: 64 MiB, the largest CSV an import takes. */
    public static final int IMPORT_MAX_BYTES = 64 * 1024 * 1024;

    /** Durable SQLite commits: the form of the keys before {@code database.sqlite-synchronous}. */
    public Config(String databaseUrl, boolean databaseEcho, boolean recordQueries, Optional<Integer> poolSize, int poolTimeoutSeconds,
                  boolean migrateOnStart, String host, int port, Optional<String> secretKey, int keepBackups, Security security,
                  int historyKeepDays, int importMaxBytes) {
        this(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, keepBackups,
                security, historyKeepDays, importMaxBytes, Synchronous.FULL);
    }

    /** With the default import limit: the form of the keys before {@code import.max-bytes}. */
    public Config(String databaseUrl, boolean databaseEcho, boolean recordQueries, Optional<Integer> poolSize, int poolTimeoutSeconds,
                  boolean migrateOnStart, String host, int port, Optional<String> secretKey, int keepBackups, Security security,
                  int historyKeepDays) {
        this(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, keepBackups,
                security, historyKeepDays, IMPORT_MAX_BYTES);
    }

    /** The history kept forever: the form of the keys before {@code history.keep-days}. */
    public Config(String databaseUrl, boolean databaseEcho, boolean recordQueries, Optional<Integer> poolSize, int poolTimeoutSeconds,
                  boolean migrateOnStart, String host, int port, Optional<String> secretKey, int keepBackups, Security security) {
        this(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, keepBackups,
                security, KEEP_HISTORY_FOREVER);
    }

    /** With the default number of backups kept: the form tests use. */
    public Config(String databaseUrl, boolean databaseEcho, boolean recordQueries, Optional<Integer> poolSize, int poolTimeoutSeconds,
                  boolean migrateOnStart, String host, int port, Optional<String> secretKey) {
        this(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, KEEP_BACKUPS,
                Security.defaults());
    }

    /** The defaults of SPEC "Configuration". */
    public static Config defaults() {
        return new Config("jdbc:sqlite:registry.db", false, false, Optional.empty(), 30, true,
                "127.0.0.1", 8080, Optional.empty(), KEEP_BACKUPS, Security.defaults());
    }

    public Config withDatabaseUrl(String url) {
        return new Config(url, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, keepBackups, security, historyKeepDays, importMaxBytes, sqliteSynchronous);
    }

    public Config withPort(int newPort) {
        return new Config(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, newPort, secretKey, keepBackups, security, historyKeepDays, importMaxBytes, sqliteSynchronous);
    }

    public Config withRecordQueries(boolean on) {
        return new Config(databaseUrl, databaseEcho, on, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, keepBackups, security, historyKeepDays, importMaxBytes, sqliteSynchronous);
    }

    public Config withSecretKey(String key) {
        return new Config(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, Optional.of(key), keepBackups, security, historyKeepDays, importMaxBytes, sqliteSynchronous);
    }

    public Config withImportMaxBytes(int bytes) {
        return new Config(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, keepBackups,
                security, historyKeepDays, bytes, sqliteSynchronous);
    }

    public Config withSecurity(Security newSecurity) {
        return new Config(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, keepBackups,
                newSecurity, historyKeepDays, importMaxBytes, sqliteSynchronous);
    }

    public Config withSqliteSynchronous(Synchronous mode) {
        return new Config(databaseUrl, databaseEcho, recordQueries, poolSize, poolTimeoutSeconds, migrateOnStart, host, port, secretKey, keepBackups,
                security, historyKeepDays, importMaxBytes, mode);
    }
}
