package registry.db;

import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/**
 * Recognises any integrity-constraint violation (a foreign key, a unique or primary key, a check):
 * the database's answer to "this row no longer fits", which a restore takes as "leave it out".
 * PostgreSQL and MariaDB say so by SQLSTATE class 23; SQLite by its SQLITE_CONSTRAINT code.
 */
public final class ConstraintViolation {
    private static final int SQLITE_CONSTRAINT = 19;

    private ConstraintViolation() {}

    public static boolean is(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if ((state != null && state.startsWith("23"))
                        || (sql.getErrorCode() == SQLITE_CONSTRAINT && String.valueOf(sql.getMessage()).contains("SQLITE_CONSTRAINT"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
