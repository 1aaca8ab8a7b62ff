package registry.db;

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
 */
final class MigrationLock {
    /** pg_advisory_lock takes a number; this one is ours ("registry" in ASCII). */
    private static final long POSTGRESQL_KEY = 0x7265676973747279L;
    private static final long POLL_MS = 200;

    private final Connection connection;
    private final Engine engine;

    private MigrationLock(Connection connection, Engine engine) {
        this.connection = connection;
        this.engine = engine;
    }

    /** Waits as long as Liquibase waits for its own lock, then fails naming what it waited for. */
    static MigrationLock take(Connection connection, Engine engine) throws SQLException {
        long waitSeconds = 60L * Long.getLong("liquibase.changelogLockWaitTimeInMinutes", 1);
        boolean taken = switch (engine) {
            case SQLITE -> true;
            case POSTGRESQL -> {
                long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
                boolean got = query(connection, "SELECT pg_try_advisory_lock(" + POSTGRESQL_KEY + ")");
                while (!got && System.nanoTime() < deadline) {
                    sleep();
                    got = query(connection, "SELECT pg_try_advisory_lock(" + POSTGRESQL_KEY + ")");
                }
                yield got;
            }
            // GET_LOCK names are server-wide: the database's name keeps two databases apart.
            case MARIADB -> query(connection, "SELECT GET_LOCK(CONCAT('registry.migrations.', DATABASE()), " + waitSeconds + ") = 1");
        };
        if (!taken) {
            throw new MigrationException("another process has been changing the schema for " + waitSeconds
                    + " s; try again when it has finished", null);
        }
        return new MigrationLock(connection, engine);
    }

    void release() throws SQLException {
        switch (engine) {
            case SQLITE -> { }
            case POSTGRESQL -> query(connection, "SELECT pg_advisory_unlock(" + POSTGRESQL_KEY + ")");
            case MARIADB -> query(connection, "SELECT RELEASE_LOCK(CONCAT('registry.migrations.', DATABASE())) = 1");
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
