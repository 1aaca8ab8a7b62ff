package registry.schema;

import registry.db.Database;
import registry.db.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Makes schema changes from several processes take turns, on the server engines. Liquibase's own
 * lock is a row of a table that the first process creates; two processes starting together on an
 * empty PostgreSQL or MariaDB database both find it missing, both create it, and one fails. So each
 * first takes a session lock of the server's, which needs no table: the second waits for the first
 * to finish and then finds nothing left to apply. SQLite needs none: its first writer locks the
 * whole file, and the busy timeout makes the other wait.
 *
 * <p>The lock is held on a connection of its own, outside the pool: a pool of one must still lend
 * its connection to Liquibase.
 */
final class MigrationLock {
    /** pg_advisory_lock takes a number; this one is ours ("registry" in ASCII). */
    private static final long POSTGRESQL_KEY = 0x7265676973747279L;
    private static final long POLL_MS = 200;

    private final Connection connection;

    private MigrationLock(Connection connection) {
        this.connection = connection;
    }

    /** Waits as long as Liquibase waits for its own lock, then fails naming what it waited for. */
    static MigrationLock take(Database database) {
        if (database.engine() == Engine.SQLITE) {
            return new MigrationLock(null);
        }
        Connection connection = null;
        try {
            connection = database.connectOutsidePool();
            if (!take(connection, database.engine())) {
                throw new MigrationException("another process has been changing the schema for " + waitSeconds()
                        + " s; try again when it has finished", null);
            }
            return new MigrationLock(connection);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                close(connection);
            }
            throw e instanceof MigrationException m ? m : new MigrationException("cannot take the migration lock: " + e.getMessage(), e);
        }
    }

    private static long waitSeconds() {
        return 60L * Long.getLong("liquibase.changelogLockWaitTimeInMinutes", 1);
    }

    private static boolean take(Connection connection, Engine engine) throws SQLException {
        if (engine == Engine.MARIADB) {
            // GET_LOCK names are server-wide: the database's name keeps two databases apart.
            return query(connection, "SELECT GET_LOCK(CONCAT('registry.migrations.', DATABASE()), " + waitSeconds() + ") = 1");
        }
        long deadline = System.nanoTime() + waitSeconds() * 1_000_000_000L;
        boolean taken = query(connection, "SELECT pg_try_advisory_lock(" + POSTGRESQL_KEY + ")");
        while (!taken && System.nanoTime() < deadline) {
            sleep();
            taken = query(connection, "SELECT pg_try_advisory_lock(" + POSTGRESQL_KEY + ")");
        }
        return taken;
    }

    /** Closing the session releases a server's session lock; nothing else is held. */
    void release() {
        if (connection != null) {
            close(connection);
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The server drops the session's locks with the session; nothing left to do.
        }
    }

    private static boolean query(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MigrationException("interrupted while waiting for another process's migration", e);
        }
    }
}
