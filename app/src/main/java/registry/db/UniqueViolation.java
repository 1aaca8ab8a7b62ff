package registry.db;

import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;

/**
 * Recognises a unique-index violation, the database's own answer to "already taken". We rely on
 * the index rather than a check-then-insert, which two concurrent requests would both pass.
 */
public final class UniqueViolation {
    private UniqueViolation() {}

    /**
     * The column of the violated unique index, when {@code e} is such a violation. SQLite names
     * it as "UNIQUE constraint failed: users.username_key".
     */
    public static Optional<String> column(JdbiException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null) {
                String message = sql.getMessage();
                int at = message.indexOf("UNIQUE constraint failed: ");
                if (at >= 0) {
                    String target = message.substring(at + "UNIQUE constraint failed: ".length()).split("[,\\s)]")[0];
                    return Optional.of(target.substring(target.indexOf('.') + 1));
                }
            }
        }
        return Optional.empty();
    }
}
