package registry.db;

import java.util.Locale;
import registry.config.ConfigException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database engines Registry runs on, told apart by the JDBC URL. What differs between them is
 * decided here or in the one class that handles that concern (named on each constant); the DAOs'
 * SQL is the same on every engine. Two differences need nothing: a new row's id comes back through
 * RETURNING, which all three take (a record's insert, the busiest, reads SQLite's rowid instead: see
 * Records.create), and the one "insert unless present" (the secret key, {@link Settings}) relies on
 * the primary key refusing a second row ({@link UniqueViolation}), not on an engine's upsert syntax.
 */
public enum Engine {
    /**
     * The embedded default: one writer at a time, so writes queue on a pool of one connection
     * ({@link Database}); times as ISO-8601 text ({@link Timestamps}); substring search by an FTS5
     * trigram table ({@link #searchTables}).
     */
    SQLITE("SQLite", 4),
    /**
     * Times as {@code timestamptz}; substring search by LIKE served by a pg_trgm index; concurrent
     * first starts serialised by an advisory lock (registry.schema.MigrationLock).
     */
    POSTGRESQL("PostgreSQL", 10),
    /**
     * MariaDB, and MySQL through the MariaDB driver: times as {@code DATETIME(3)} holding UTC;
     * text columns with a binary collation, so that only our case folding decides what is equal;
     * substring search by LIKE (MariaDB has no index for it); first starts serialised by GET_LOCK.
     */
    MARIADB("MariaDB", 10);

    /** The statement attribute under which every handle knows its engine ({@link #of(org.jdbi.v3.core.Handle)}). */
    static final String ATTRIBUTE = "registry.engine";

    /** The engine of a handle's database: for code that has only the handle, such as a write's callback. */
    public static Engine of(org.jdbi.v3.core.Handle h) {
        return (Engine) h.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).getAttribute(ATTRIBUTE);
    }

    private final String displayName;
    private final int defaultPoolSize;

    Engine(String displayName, int defaultPoolSize) {
        this.displayName = displayName;
        this.defaultPoolSize = defaultPoolSize;
    }

    /** The engine of {@code url}; an unknown one is a configuration error. */
    public static Engine of(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        // Only the scheme: we cannot know where an unknown engine's URL keeps its password.
        Matcher scheme = Pattern.compile("^[^:]*:[^:/]*").matcher(url);
        throw new ConfigException("database.url: unsupported database '" + (scheme.find() ? scheme.group() + ":…" : url)
                + "' (expected jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB or jdbc:mariadb://HOST/DB)");
    }

    /**
     * The URL to hand the driver. MySQL URLs go to the MariaDB driver we ship (MySQL's own is
     * GPL-licensed), which answers only to its own scheme.
     */
    public static String driverUrl(String url) {
        if (url.regionMatches(true, 0, "jdbc:mysql:", 0, "jdbc:mysql:".length())) {
            return "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
        }
        return url;
    }

    /**
     * The SQL of a sort direction. A missing value (a movie without a year) comes first going up
     * and last going down, the way SQLite and MariaDB order NULL; PostgreSQL has to be told (its
     * indexes on those columns are built NULLS FIRST to match).
     */
    public String sortDirection(boolean descending) {
        if (this == POSTGRESQL) {
            return descending ? "DESC NULLS LAST" : "ASC NULLS FIRST";
        }
        return descending ? "DESC" : "ASC";
    }

    /**
     * The part of an address in {@code column} after its last {@code @}, in this engine's SQL. SQLite
     * has no function for the last occurrence of a character: {@code rtrim} by every character but
     * {@code @} leaves the text up to the last one, and what follows is the domain.
     */
    public String domainOf(String column) {
        return switch (this) {
            case SQLITE -> "substr(" + column + ", length(rtrim(" + column + ", replace(" + column + ", '@', ''))) + 1)";
            case POSTGRESQL -> "substring(" + column + " from '[^@]*$')";
            case MARIADB -> "SUBSTRING_INDEX(" + column + ", '@', -1)";
        };
    }

    /**
     * The aggregate that joins {@code value} over a group's rows into one text, ordered by
     * {@code order} and separated by ", " (a movie's directors); NULL over no rows, as every
     * aggregate but count. Each engine spells it its own way; all three honour the ORDER BY
     * (SQLite since 3.44).
     */
    public String joined(String value, String order) {
        return switch (this) {
            case SQLITE -> "group_concat(" + value + ", ', ' ORDER BY " + order + ")";
            case POSTGRESQL -> "string_agg(" + value + ", ', ' ORDER BY " + order + ")";
            case MARIADB -> "GROUP_CONCAT(" + value + " ORDER BY " + order + " SEPARATOR ', ')";
        };
    }

    /**
     * Whether a kind's substring search goes through its FTS5 trigram table ({@code <table>_search})
     * when the query is long enough for one. Only SQLite has them: PostgreSQL answers the LIKE
     * from its pg_trgm index; MariaDB has no index for it and scans.
     */
    public boolean searchTables() {
        return this == SQLITE;
    }

    /**
     * Whether a long read must ask the driver for rows in batches: the PostgreSQL and MariaDB
     * drivers read a whole result into memory otherwise (PostgreSQL honours it only inside a
     * transaction). SQLite steps through rows anyway.
     */
    public boolean needsFetchSize() {
        return this != SQLITE;
    }

    /** Connections in a pool when {@code database.pool-size} is not set (for SQLite: readers). */
    public int defaultPoolSize() {
        return defaultPoolSize;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
