package registry.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Tells a failure of the database itself (gone, full, busy, unreadable) from a bug. The first is
 * answered 503 with what is wrong, and goes away by itself when the database is back; the second
 * is a 500 and a stack trace in the log.
 */
public final class Unavailable {
    /** SQLite's words for a table or column the schema does not have (yet). */
    private static final java.util.regex.Pattern SQLITE_MISSING = java.util.regex.Pattern.compile("no such (table|column): \\S+");
    /** MariaDB's own error numbers for a full disk or table, no memory, and a lock wait that timed out. */
    private static final int MARIADB_DISK_FULL = 1021;
    private static final int MARIADB_TABLE_FULL = 1114;
    private static final int MARIADB_OUT_OF_SPACE = 1041;
    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    /** MariaDB's "table doesn't exist" and "unknown column". */
    private static final int MARIADB_NO_SUCH_TABLE = 1146;
    private static final int MARIADB_UNKNOWN_COLUMN = 1054;
    /** PostgreSQL's undefined_table and undefined_column. */
    private static final String POSTGRESQL_UNDEFINED_TABLE = "42P01";
    private static final String POSTGRESQL_UNDEFINED_COLUMN = "42703";
    /** Said when a table or column the code needs is missing: the schema was downgraded (or not yet upgraded) under us. */
    static final String SCHEMA_BEHIND = "The database schema is behind this version of Registry (%s): run db upgrade.";

    private Unavailable() {}

    /** Why the database cannot serve, said for a user, when {@code failure} is such a case. */
    public static Optional<String> reason(Throwable failure) {
        boolean timedOut = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // The pool's timeout wraps the reason it could not connect, when there is one: look on.
            timedOut |= t instanceof SQLTransientConnectionException;
            Optional<String> reason = t instanceof SQLiteException sqlite ? reason(sqlite)
                    : t instanceof SQLException sql ? serverReason(sql) : Optional.empty();
            if (reason.isPresent()) {
                return reason;
            }
            if (t instanceof SQLException sql && String.valueOf(sql.getMessage()).contains("has been closed")) {
                return Optional.of("The database is not available: its connections are closed.");
            }
        }
        if (timedOut) {
            return Optional.of("The database is busy: no connection came free in time. Try again in a moment.");
        }
        return Optional.empty();
    }

    /**
     * PostgreSQL's and MariaDB's reasons, by SQLSTATE class (the standard's, which both use) and
     * MariaDB's own error numbers where it answers the catch-all HY000.
     */
    private static Optional<String> serverReason(SQLException sql) {
        String state = String.valueOf(sql.getSQLState());
        int code = sql.getErrorCode();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return Optional.of("The database server cannot be reached (" + oneLine(sql) + ").");
        }
        if (state.startsWith("53") || code == MARIADB_DISK_FULL || code == MARIADB_TABLE_FULL || code == MARIADB_OUT_OF_SPACE) {
            return Optional.of("The database server is out of space or resources: changes are refused until it has room ("
                    + oneLine(sql) + ").");
        }
        if (state.startsWith("40") || code == MARIADB_LOCK_WAIT_TIMEOUT) {
            return Optional.of("The database is busy. Try again in a moment.");
        }
        if (state.equals(POSTGRESQL_UNDEFINED_TABLE) || state.equals(POSTGRESQL_UNDEFINED_COLUMN)
                || code == MARIADB_NO_SUCH_TABLE || code == MARIADB_UNKNOWN_COLUMN) {
            return Optional.of(SCHEMA_BEHIND.formatted(oneLine(sql)));
        }
        return Optional.empty();
    }

    private static String oneLine(SQLException sql) {
        String message = String.valueOf(sql.getMessage()).replaceAll("\\s+", " ").strip();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    private static Optional<String> reason(SQLiteException sqlite) {
        String message = String.valueOf(sqlite.getMessage());
        // SQLite says SQLITE_ERROR for these, as for any bad SQL: the message tells them apart.
        java.util.regex.Matcher missing = SQLITE_MISSING.matcher(message);
        if (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_ERROR && missing.find()) {
            return Optional.of(SCHEMA_BEHIND.formatted(missing.group()));
        }
        String name = sqlite.getResultCode().name();
        if (name.startsWith("SQLITE_FULL")) {
            return Optional.of("The database or its disk is full: changes are refused until space is freed; reading still works.");
        }
        if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")) {
            return Optional.of("The database is busy. Try again in a moment.");
        }
        if (name.startsWith("SQLITE_IOERR") || name.startsWith("SQLITE_CANTOPEN") || name.startsWith("SQLITE_NOTADB")
                || name.startsWith("SQLITE_READONLY") || name.startsWith("SQLITE_CORRUPT")) {
            return Optional.of("The database file cannot be read or written (" + name + ").");
        }
        return Optional.empty();
    }
}
