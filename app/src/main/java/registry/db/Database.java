package registry.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;
import registry.config.Config;
import registry.config.ConfigException;
import registry.config.DatabaseUrl;

/**
 * The connection pools and the Jdbi over them.
 *
 * <p>SQLite allows one writer at a time, so every change is run by one {@link Writer} thread over
 * a pool of one connection: changes queue for it (fair, bounded by the pool timeout) instead of
 * failing with SQLITE_BUSY, its transactions begin IMMEDIATE (one that reads before it writes
 * cannot be refused its upgrade to a write lock), and changes that queued together are committed
 * together. Reads use a separate pool; in WAL mode they run beside the writer.
 *
 * <p>PostgreSQL and MariaDB lock rows, not the database, so reads and writes share one pool.
 */
public final class Database implements AutoCloseable {
    /** Each SQLite read connection's page cache, in KiB (see {@link #sqliteProperties}). */
    private static final int READ_CACHE_KIB = 512;
    private final Engine engine;
    private final HikariDataSource readPool;
    private final HikariDataSource writePool;
    private final Jdbi reads;
    private final Jdbi writes;
    /** SQLite's writer and kept read sessions; null on the servers, where each read and write takes a pooled connection. */
    private final Writer writer;
    private final Readers readers;
    private final Checkpoints checkpoints;

    private Database(Engine engine, HikariDataSource readPool, HikariDataSource writePool, boolean echo, long timeoutMs) {
        boolean sqlite = engine == Engine.SQLITE;
        this.engine = engine;
        this.readPool = readPool;
        this.writePool = writePool;
        this.reads = jdbi(engine, readPool, echo);
        this.writes = readPool == writePool ? reads : jdbi(engine, writePool, echo);
        this.writer = sqlite ? new Writer(writes, timeoutMs) : null;
        this.readers = sqlite ? new Readers(reads, readPool.getMaximumPoolSize(), timeoutMs) : null;
        this.checkpoints = sqlite ? writer.checkpointApart(readers) : null;
    }

    /** Opens the pools, failing with a {@link ConfigException} when the database cannot be reached. */
    public static Database open(Config config) {
        Engine engine = Engine.of(config.databaseUrl()); // refuses an engine we do not support before anything is opened
        long timeoutMs = config.poolTimeoutSeconds() * 1000L;
        int size = config.poolSize().orElse(engine.defaultPoolSize());
        HikariDataSource writePool = null;
        if (engine == Engine.SQLITE) {
            SqliteFiles.prepare(config.databaseUrl()); // 0600, before SQLite makes it 0644
            SqliteLibrary.useCached();
        }
        try {
            if (engine != Engine.SQLITE) {
                HikariDataSource pool = pool(config, "registry", size, serverProperties(engine, timeoutMs));
                return new Database(engine, pool, pool, config.databaseEcho(), timeoutMs);
            }
            writePool = pool(config, "registry-write", 1, sqliteProperties(timeoutMs, true, config.sqliteSynchronous()));
            HikariDataSource readPool = pool(config, "registry-read", size, sqliteProperties(timeoutMs, false, config.sqliteSynchronous()));
            return new Database(engine, readPool, writePool, config.databaseEcho(), timeoutMs);
        } catch (HikariPool.PoolInitializationException e) {
            if (writePool != null) {
                writePool.close();
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigException("database.url: cannot open " + DatabaseUrl.shown(config.databaseUrl()) + ": "
                    + DatabaseUrl.scrub(cause.getMessage(), config.databaseUrl()));
        }
    }

    /** Set as driver properties: an init SQL of several statements would apply only its first PRAGMA. */
    private static Properties sqliteProperties(long busyTimeoutMs, boolean writer, Config.Synchronous synchronous) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL (the default): a commit returns once the WAL is synced, and the writer answers a
        // batch only after its commit returns, so every acknowledged write survives a power loss;
        // the writer's group commit pays one sync per batch, not per request. NORMAL: a commit is
        // in the WAL (the OS's cache) when it returns, which survives the app crashing or being
        // killed; a power loss or an OS crash can take the last commits, never the file's integrity.
        sqlite.setSynchronous(synchronous == Config.Synchronous.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.enforceForeignKeys(true);
        // The driver's generated keys: after every INSERT, whether asked for or not, it compiled and
        // ran SELECT last_insert_rowid() anew, a twentieth of the writer's time under the bench's
        // write load (two inserts a create: the record and its history entry). An insert that needs
        // its id asks for it itself: Records.create, and RETURNING where it is rare (accounts).
        sqlite.setGetGeneratedKeys(false);
        sqlite.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, busyTimeoutMs));
        if (writer) {
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        } else {
            // SQLite's default page cache is 2 MiB per connection, kept in the process for good. A
            // reader finds what it misses in the OS's file cache (the writer keeps the default: its
            // inserts revisit the same index pages). RSS after the bench's load 191 -> 188 MiB, reads unchanged.
            sqlite.setCacheSize(-READ_CACHE_KIB);
        }
        return sqlite.toProperties();
    }

    /**
     * A server that does not answer must not hold a request past the pool timeout, so connecting
     * is bounded by it. No socket timeout: a migration's CREATE INDEX may rightly run for minutes.
     */
    private static Properties serverProperties(Engine engine, long timeoutMs) {
        Properties properties = new Properties();
        if (engine == Engine.POSTGRESQL) {
            properties.setProperty("ApplicationName", "registry");
            properties.setProperty("connectTimeout", Long.toString(Math.max(1, timeoutMs / 1000))); // seconds
        } else {
            properties.setProperty("connectTimeout", Long.toString(timeoutMs)); // milliseconds
        }
        return properties;
    }

    private static HikariDataSource pool(Config config, String name, int size, Properties properties) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(Engine.driverUrl(config.databaseUrl()));
        hikari.setPoolName(name);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        hikari.setConnectionTimeout(config.poolTimeoutSeconds() * 1000L);
        hikari.setDataSourceProperties(properties);
        hikari.setInitializationFailTimeout(1);
        return new HikariDataSource(hikari);
    }

    private static Jdbi jdbi(Engine engine, DataSource dataSource, boolean echo) {
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        jdbi.setSqlLogger(new QueryLog(echo));
        jdbi.registerRowMapper(new RecordMapper(engine));
        Timestamps.register(jdbi, engine);
        jdbi.define(Engine.ATTRIBUTE, engine);
        if (engine == Engine.SQLITE) {
            jdbi.setStatementBuilderFactory(connection -> new KeptStatements());
        }
        return jdbi;
    }

    /** The engine behind the pools. */
    public Engine engine() {
        return engine;
    }

    /** Runs {@code callback} on a read connection, outside any transaction. */
    public <R, X extends Exception> R read(HandleCallback<R, X> callback) throws X {
        return readers != null ? readers.read(callback) : reads.withHandle(callback);
    }

    /**
     * Runs {@code callback} in one write transaction, committed when it returns (on SQLite, with the
     * changes that queued beside it); it must not begin or end transactions itself.
     */
    public <R, X extends Exception> R write(HandleCallback<R, X> callback) throws X {
        return writer != null ? writer.run(callback) : writes.inTransaction(callback);
    }

    /**
     * A DAO for reads, made once: inside {@link #read} it uses that read's connection, alone it
     * reads on one of its own. On SQLite its SQL objects are attached once per kept session
     * ({@link Session}); on the servers it is JDBI's on-demand SQL object.
     */
    public <D> D readDao(Class<D> type) {
        return readers != null ? readers.dao(type) : reads.onDemand(type);
    }

    /** A DAO for writes, made once: inside {@link #write} it joins that transaction, alone it is a transaction of its own. */
    public <D> D writeDao(Class<D> type) {
        return writer != null ? writer.dao(type) : writes.onDemand(type);
    }

    /** Runs {@code callback} as one write: on a server without a transaction; on SQLite, as any change. */
    public <R, X extends Exception> R writeOne(HandleCallback<R, X> callback) throws X {
        return writer != null ? writer.run(callback) : writes.withHandle(callback);
    }

    /**
     * As {@link #writeOne(HandleCallback)}, but on SQLite waiting at most {@code waitMs} for the
     * writer to start it (a {@link org.jdbi.v3.core.ConnectionException} then, and it never runs);
     * on the servers as {@code writeOne}.
     */
    public <R, X extends Exception> R writeOneWithin(long waitMs, HandleCallback<R, X> callback) throws X {
        return writer != null ? writer.run(callback, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(waitMs)) : writes.withHandle(callback);
    }

    /**
     * On SQLite, work the writer runs after its commits, a few times a second while writes come and
     * once when they stop ({@link Writer#catchUp}): work that many writes can share, such as
     * indexing the new rows for search. The servers keep their indexes themselves: there it is
     * never run.
     */
    public void catchUp(String name, HandleConsumer<? extends Exception> work) {
        if (writer != null) {
            writer.catchUp(name, work);
        }
    }

    /**
     * On SQLite, whether the writer has a transaction open now (it holds the database's write lock
     * and runs changes in it: an import, say); false on the servers, where writes do not queue.
     */
    public boolean writing() {
        return writer != null && writer.writing();
    }

    /** The writer's pool, for Liquibase, which on SQLite must hold the one write connection while it migrates. */
    public DataSource writeDataSource() {
        return writePool;
    }

    /** The SQLite database file; empty on the servers and for a database in memory. */
    public Optional<Path> file() {
        return SqliteFiles.of(writePool.getJdbcUrl());
    }

    /** A connection of its own, outside the pools, with their settings: to hold a server's session lock. */
    public Connection connectOutsidePool() throws SQLException {
        return DriverManager.getConnection(writePool.getJdbcUrl(), writePool.getDataSourceProperties());
    }

    /**
     * Connections in use, idle and open, and requests waiting for one, per pool: for spotting a
     * leak under load. On SQLite, of the readers' kept connections and of the writer's (which also
     * counts changes and commits).
     */
    public Map<String, Map<String, Long>> poolStats() {
        if (readers != null) {
            return Map.of("read", readers.stats(), "write", writer.stats());
        }
        return Map.of("shared", stats(readPool));
    }

    private static Map<String, Long> stats(HikariDataSource pool) {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? Map.of() : Map.of("active", (long) bean.getActiveConnections(), "idle", (long) bean.getIdleConnections(),
                "total", (long) bean.getTotalConnections(), "waiting", (long) bean.getThreadsAwaitingConnection());
    }

    /**
     * Publishes the pools' figures (HikariCP's own meters, {@code hikaricp_connections_*}) and, on
     * SQLite, the writer's queue and batch sizes to {@code registry}. Once per database: HikariCP
     * takes one registry per pool.
     */
    public void instrument(MeterRegistry registry) {
        readPool.setMetricRegistry(registry);
        if (writePool != readPool) {
            writePool.setMetricRegistry(registry);
        }
        if (writer != null) {
            writer.instrument(registry);
        }
    }

    @Override
    public void close() {
        if (writer != null) {
            checkpoints.close();
            writer.close();
            readers.close();
        }
        readPool.close();
        if (writePool != readPool) {
            writePool.close();
        }
    }
}
