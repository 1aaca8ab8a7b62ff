package registry;

import io.javalin.Javalin;
import java.beans.Introspector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import registry.web.Signer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.javalin.http.ServiceUnavailableResponse;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import registry.config.Config;
import registry.config.ConfigException;
import registry.db.Database;
import registry.db.Settings;
import registry.health.WriteProbe;
import registry.history.Purge;
import registry.schema.Migrations;

/**
 * One server's life, the same for {@code serve}, the warm-up and the tests: opens the database,
 * brings its schema up to date or refuses to start ({@code database.migrate-on-start}), builds the
 * app with {@link App#create} and listens, and purges old history daily ({@link Purge}, when
 * {@code history.keep-days} is set); {@link #close()} lets requests in flight finish, then closes
 * the database.
 */
public final class Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** How long a request that comes while the server starts waits for the schema's update. */
    static final long SCHEMA_WAIT_MS = 10_000;

    private final Config config;
    private final Database database;
    private final Migrations migrations;
    private final Javalin app;
    private final String setupToken;
    private final Purge purge;

    private Server(Config config, Database database, Migrations migrations, Javalin app, String setupToken, Purge purge) {
        this.setupToken = setupToken;
        this.purge = purge;
        this.config = config;
        this.database = database;
        this.migrations = migrations;
        this.app = app;
    }

    /**
     * Starts on {@code config.host()}:{@code config.port()} (0: any free port, see {@link #port()}).
     * The secret key is {@code config.secretKey()}, else the one kept in the database.
     *
     * @throws ConfigException when the database cannot be opened, changesets are pending and may not
     *     be applied, or the port cannot be listened on; nothing is left open then
     */
    public static Server start(Config config) {
        return start(config, Clock.systemUTC());
    }

    /** As {@link #start(Config)}, with the time the daily history purge ({@code history.keep-days}) goes by. */
    public static Server start(Config config, Clock clock) {
        requireFreePort(config);
        var changelog = Migrations.parseAhead(); // while the database opens
        Database database = Database.open(config);
        CompletableFuture<Void> ready = null;
        try {
            Migrations migrations = new Migrations(database, changelog);
            // Liquibase, the web app and Jetty each take a few hundred milliseconds to get going;
            // with two cores they can do it side by side. The server listens while the schema is
            // brought up to date, and a request that comes meanwhile waits for it (SCHEMA_WAIT_MS,
            // then 503). The secret key (which no request needs before it has a session) and the
            // write probe follow the update on another thread (0.1 s of a first start each). Async:
            // a plain thenApply may run in whichever thread joins the update first, and that was
            // this one, which then made the key and probed before it listened (profiled).
            CompletableFuture<Void> migrated = CompletableFuture.runAsync(() -> migrateOrRefuse(config, migrations));
            CompletableFuture<String> secret = migrated.thenApplyAsync(none -> config.secretKey().orElseGet(() -> Settings.secretKey(database)));
            // A read-only file or replica still serves pages; say so now rather than at the first save.
            ready = secret.thenRun(() -> new WriteProbe(database).failure().ifPresent(reason -> LOG.warn("{} Pages can be read; "
                    + "every change will be refused (and /health answers 503) until it can.", reason)));
            String setupToken = Signer.randomToken();
            Javalin app = App.create(config, database, migrations, secret::join, setupToken, () -> awaitSchema(migrated, SCHEMA_WAIT_MS));
            try {
                app.start(config.host(), config.port());
            } catch (RuntimeException e) {
                app.stop();
                throw cannotListen(config, e); // taken since the check: rare, but the database was opened for nothing
            }
            try {
                join(migrated);
                join(ready);
                // Liquibase introspects its change classes as JavaBeans, and the JDK keeps what it
                // found for the life of the thread group (0.9 MiB of heap); nothing here reads it again.
                Introspector.flushCaches();
            } catch (RuntimeException e) {
                app.stop();
                throw e;
            }
            Purge purge = new Purge(database, config.historyKeepDays(), clock).start();
            return new Server(config, database, migrations, app, setupToken, purge);
        } catch (RuntimeException e) {
            if (ready != null) {
                ready.exceptionally(failure -> null).join(); // nothing may still be reading the database it closes
            }
            database.close();
            throw e;
        }
    }

    /**
     * Returns once the schema is up to date: at once after the start. A request that comes while
     * the server starts waits for the update; one that would wait too long, or comes after it
     * failed (the server is then stopping), is answered 503.
     */
    static void awaitSchema(CompletableFuture<Void> migrated, long waitMs) {
        if (migrated.isDone() && !migrated.isCompletedExceptionally()) {
            return;
        }
        try {
            migrated.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableResponse("The server is starting; try again in a moment");
        } catch (ExecutionException | TimeoutException e) {
            throw new ServiceUnavailableResponse(e instanceof TimeoutException
                    ? "The server is starting: its database schema is being brought up to date; try again in a moment"
                    : "The server could not bring its database schema up to date, and is stopping");
        }
    }

    /** Waits for {@code step}, and throws what it threw. */
    private static <T> T join(CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The port it listens on: the configured one, or the one it was given for port 0. */
    public int port() {
        return app.port();
    }

    /**
     * The one-time link that makes the first admin, while no account exists: fresh at every start,
     * it works on this instance only, and only until an account exists.
     */
    public Optional<String> setupLink() {
        boolean none = database.read(h -> h.createQuery("SELECT COUNT(*) FROM accounts").mapTo(Long.class).one()) == 0;
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return none ? Optional.of("http://" + host + ":" + port() + "/setup/" + setupToken) : Optional.empty();
    }

    public Config config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public Migrations migrations() {
        return migrations;
    }

    public Javalin app() {
        return app;
    }

    /** Stops accepting, lets requests in flight finish (up to {@link App#STOP_TIMEOUT_MS}), then closes the database. */
    @Override
    public void close() {
        try {
            purge.close();
            app.stop();
        } finally {
            database.close();
        }
    }

    /**
     * Brings the schema up to date before anything reads it, or refuses: what {@code serve} does at
     * start, and what a command that works on the records (such as {@code account}) does too.
     *
     * @throws ConfigException when changesets are pending and {@code database.migrate-on-start} is false
     */
    public static void migrateOrRefuse(Config config, Migrations migrations) {
        // Reading what is pending is cheap next to an update, and the usual start has nothing to apply.
        // A new database has everything to apply: the update reads the changelog once for both.
        boolean all = config.migrateOnStart() && migrations.nothingApplied();
        List<Migrations.ChangeSetId> pending = all ? List.of() : migrations.pending();
        if (!all && pending.isEmpty()) {
            return;
        }
        if (!config.migrateOnStart()) {
            throw new ConfigException("database.migrate-on-start is false and " + pending.size() + " changeset(s) are pending ("
                    + pending.stream().map(Object::toString).collect(Collectors.joining(", "))
                    + "); run: java -jar registry.jar db upgrade");
        }
        migrations.lock().ifPresent(lock -> LOG.warn("Waiting for the migration lock, held by {} since {}; {}",
                lock.lockedBy(), lock.since(), Migrations.UNLOCK_HINT));
        List<Migrations.ChangeSetId> applied = migrations.upgrade();
        if (!applied.isEmpty()) {
            LOG.info("Applied {} changeset(s): {}", applied.size(), applied.stream().map(Migrations.ChangeSetId::id).toList());
        }
    }

    /**
     * Fails at once when the port is taken, before the database is opened: a second start by mistake
     * would otherwise create a SQLite file (or migrate a database) and only then find the port busy.
     * The socket is closed again at once; the server binds its own after the database is ready.
     */
    private static void requireFreePort(Config config) {
        if (config.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty binds: a connection closing in TIME_WAIT does not make the port busy
            probe.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException | RuntimeException e) {
            throw cannotListen(config, e);
        }
    }

    private static ConfigException cannotListen(Config config, Exception e) {
        return new ConfigException("server.port: cannot listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
