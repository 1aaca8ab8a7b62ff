package registry.db;

import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.JdbiException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Recognises a unique-index violation, the database's own answer to "already taken". We rely on
 * the index rather than a check-then-insert, which two concurrent requests would both pass.
 * Each engine says it differently: SQLite names the column, PostgreSQL and MariaDB the index, whose
 * names follow the changelogs' rule {@code <table>_<column>_uq}.
 */
public final class UniqueViolation {
    private static final String SQLITE_PREFIX = "UNIQUE constraint failed: ";
    /** MariaDB: "Duplicate entry 'x' for key 'users_username_key_uq'" (some versions write 'users.users_…'). */
    private static final Pattern MARIADB_KEY = Pattern.compile("for key '(?:[^'.]*\\.)?([^']+)'");
    private static final int MARIADB_DUPLICATE_ENTRY = 1062;

    private UniqueViolation() {}

    /**
     * The column of the violated unique index when {@code e} is such a violation: "username_key",
     * say. A violated primary key answers the name its engine gives it.
     */
    public static Optional<String> column(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                Optional<String> column = column(sql);
                if (column.isPresent()) {
                    return column;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> column(SQLException sql) {
        String message = String.valueOf(sql.getMessage());
        if (sql instanceof PSQLException postgres && "23505".equals(sql.getSQLState())) {
            ServerErrorMessage server = postgres.getServerErrorMessage();
            return Optional.of(indexColumn(server == null || server.getConstraint() == null ? "unknown" : server.getConstraint()));
        }
        if (sql.getErrorCode() == MARIADB_DUPLICATE_ENTRY && "23000".equals(sql.getSQLState())) {
            Matcher key = MARIADB_KEY.matcher(message);
            return Optional.of(key.find() ? indexColumn(key.group(1)) : "unknown");
        }
        int at = message.indexOf(SQLITE_PREFIX);
        if (at >= 0) {
            String target = message.substring(at + SQLITE_PREFIX.length()).split("[,\\s)]")[0];
            return Optional.of(target.substring(target.indexOf('.') + 1));
        }
        return Optional.empty();
    }

    /** "users_username_key_uq" → "username_key"; another name is returned as it is. */
    private static String indexColumn(String index) {
        int table = index.indexOf('_');
        if (!index.endsWith("_uq") || table < 0 || table + 1 >= index.length() - 3) {
            return index;
        }
        return index.substring(table + 1, index.length() - 3);
    }
}
