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
    private Unavailable() {}

    /** Why the database cannot serve, said for a user, when {@code failure} is such a case. */
    public static Optional<String> reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return Optional.of("The database is busy: no connection came free in time. Try again in a moment.");
            }
            if (t instanceof SQLiteException sqlite) {
                Optional<String> reason = reason(sqlite.getResultCode());
                if (reason.isPresent()) {
                    return reason;
                }
            }
            if (t instanceof SQLException sql && String.valueOf(sql.getMessage()).contains("has been closed")) {
                return Optional.of("The database is not available: its connections are closed.");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> reason(SQLiteErrorCode code) {
        String name = code.name();
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
