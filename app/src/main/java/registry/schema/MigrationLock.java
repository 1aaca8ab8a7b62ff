package registry.schema;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import registry.db.Database;
import registry.db.Engine;
import registry.db.SqliteFiles;

/**
 * Makes schema changes from several processes take turns, on the server engines. Liquibase's own
 * lock is a row of a table that the first process creates; two processes starting together on an
 * empty PostgreSQL or MariaDB database both find it missing, both create it, and one fails. So each
 * first takes a session lock of the server's, which needs no table: the second waits for the first
 * to finish and then finds nothing left to apply.
 *
 * <p>On SQLite the lock is an OS lock on a file beside the database ({@code registry.db-lock}).
 * SQLite's own locking is not enough: the driver begins the next transaction as soon as one ends,
 * so a process polling Liquibase's lock row holds the write lock between polls, and the process
 * that is migrating fails with SQLITE_BUSY.
 *
 * <p>The lock is held on a connection of its own, outside the pool: a pool of one must still lend
 * its connection to Liquibase.
 */
final class MigrationLock {
    /** pg_advisory_lock takes a number; this one is ours ("registry" in ASCII). */
    private static final long POSTGRESQL_KEY = 0x7265676973747279L;
    private static final long POLL_MS = 200;

    private final Connection connection;
    private final FileChannel file;

    private MigrationLock(Connection connection, FileChannel file) {
        this.connection = connection;
        this.file = file;
    }

    /** Waits as long as Liquibase waits for its own lock, then fails naming what it waited for. */
    static MigrationLock take(Database database) {
        if (database.engine() == Engine.SQLITE) {
            return database.file().map(MigrationLock::takeFile).orElseGet(() -> new MigrationLock(null, null));
        }
        Connection connection = null;
        try {
            connection = database.connectOutsidePool();
            if (!take(connection, database.engine())) {
                throw new MigrationException("another process has been changing the schema for " + waitSeconds()
                        + " s; try again when it has finished", null);
            }
            return new MigrationLock(connection, null);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                close(connection);
            }
            throw e instanceof MigrationException m ? m : new MigrationException("cannot take the migration lock: " + e.getMessage(), e);
        }
    }

    private static MigrationLock takeFile(Path database) {
        Path path = database.resolveSibling(database.getFileName() + "-lock");
        FileChannel channel = null;
        try {
            try {
                SqliteFiles.create(path);
            } catch (FileAlreadyExistsException e) {
                // left by an earlier migration, or made a moment ago by another process: either way ours to lock
            }
            channel = FileChannel.open(path, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + waitSeconds() * 1_000_000_000L;
            while (!held(channel)) {
                if (System.nanoTime() >= deadline) {
                    throw new MigrationException("another process has been changing the schema for " + waitSeconds()
                            + " s; try again when it has finished", null);
                }
                sleep();
            }
            return new MigrationLock(null, channel);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                close(channel);
            }
            throw e instanceof MigrationException m ? m : new MigrationException("cannot take the migration lock " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether the lock is now ours; another database of this process holding it counts as another process. */
    private static boolean held(FileChannel channel) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false;
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

    /** Closing the session releases a server's session lock, closing the file its OS lock; nothing else is held. */
    void release() {
        if (connection != null) {
            close(connection);
        }
        if (file != null) {
            close(file);
        }
    }

    private static void close(AutoCloseable held) {
        try {
            held.close();
        } catch (Exception e) {
            // The server drops the session's locks with the session, the OS a file's with its descriptor.
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
