package registry;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.JavalinStaticResourceHandler;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import registry.config.Config;
import registry.db.Database;
import registry.schema.Migrations;
import registry.credit.CreditApi;
import registry.credit.CreditPages;
import registry.health.HealthApi;
import registry.history.ChangeStream;
import registry.history.History;
import registry.history.HistoryWeb;
import registry.history.RestoreWeb;
import registry.home.HomePage;
import registry.credit.CreditImport;
import registry.imports.ImportApi;
import registry.imports.ImportPages;
import registry.imports.Importer;
import registry.imports.Target;
import registry.metrics.Metrics;
import registry.record.RecordImport;
import registry.openapi.ApiDocs;
import registry.openapi.OpenApi;
import registry.movie.Movie;
import registry.movie.MovieForm;
import registry.movie.Movies;
import registry.person.People;
import registry.person.Person;
import registry.person.PersonForm;
import registry.record.Kind;
import registry.record.Records;
import registry.record.Restores;
import registry.user.User;
import registry.user.UserForm;
import registry.user.Users;
import registry.account.AccountPages;
import registry.account.Accounts;
import registry.account.AdminPages;
import registry.account.SignInPages;
import registry.web.Access;
import registry.web.Cookies;
import registry.web.Csrf;
import registry.web.Hosts;
import registry.web.Flash;
import registry.web.Guards;
import registry.web.HttpErrors;
import registry.web.Json;
import registry.web.Methods;
import registry.web.Pages;
import registry.web.RecordApi;
import registry.web.RecordPages;
import registry.web.RequestLog;
import registry.web.Signer;

/** Builds the web application from its configuration and database; never starts it itself. */
public final class App {
    /** How long a stopping server lets requests in flight finish. */
    static final long STOP_TIMEOUT_MS = 10_000;
    /** How long a connection may stay silent before it is closed. */
    static final long IDLE_TIMEOUT_MS = 30_000;
    /** Slowest accepted upload of a request body, in bytes a second. */
    static final long MIN_BODY_RATE = 512;

    private App() {}

    /**
     * @param secret      gives {@code secret.key}, asked for at the first request that signs or checks something
     * @param setupToken  the secret of this start's one-time setup link (SPEC "The first admin")
     * @param schemaReady run before every request: returns once the schema is up to date (at once,
     *                    after the start), or throws the answer to give instead
     */
    public static Javalin create(Config config, Database database, Migrations migrations, Supplier<String> secret, String setupToken,
            Runnable schemaReady) {
        Signer signer = new Signer(secret);
        Cookies cookies = new Cookies(config.security().https());
        Csrf csrf = new Csrf(signer, cookies);
        Flash flash = new Flash(signer, cookies);
        Hosts hosts = new Hosts(config);
        Accounts accounts = new Accounts(database, Clock.systemUTC(), config.security().sessionIdleMinutes());
        Records<User, UserForm> users = new Records<>(database, Users.KIND);
        Records<Person, PersonForm> people = new Records<>(database, People.KIND);
        Records<Movie, MovieForm> movies = new Records<>(database, Movies.KIND);
        // Every kind, in the order the navigation and the home page show them.
        List<Records<?, ?>> kinds = List.of(users, people, movies);
        Importer importer = importer(database, kinds);
        Pages pages = new Pages(csrf, flash, config.recordQueries(), kinds.stream().<Kind<?, ?>>map(Records::kind).toList());
        Metrics metrics = new Metrics(database, () -> database.read(History::head));
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            // Javalin copies every answer to Jetty through a buffer of this size that it allocates per
            // answer: 32 KiB unless set (Jetty's output buffer size), where most answers are a few KiB.
            // Under the bench's write load those buffers were about a third of all that was allocated.
            // Jetty's own output buffer, pooled, stays at 32 KiB.
            cfg.http.responseBufferSize = 4096;
            // Javalin's own handler reads assets through the class loader. Jetty's, the default,
            // mounted the jar as a zip file system once per asset directory and kept it: 3 MiB of heap
            // each (the jar holds 15,000 entries), eight of them, and 20 ms of every start apiece.
            cfg.resourceHandler(new JavalinStaticResourceHandler());
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/static";
                files.location = Location.CLASSPATH;
            });
            // A small server: two cores and a handful of database connections are busy long before
            // 32 request threads are; more threads only add memory and switching (64: RSS after the
            // bench's load 3 MiB more, the same throughput). Enough for the writer's batches: a create
            // holds its thread until its batch commits. Idle connections cost no thread (Jetty waits on
            // them with NIO).
            QueuedThreadPool threads = new QueuedThreadPool(32, 8, 60_000);
            threads.setName("registry-http");
            cfg.jetty.threadPool = threads;
            // Connections: an idle one is closed after IDLE_TIMEOUT_MS; a body that trickles in slower
            // than MIN_BODY_RATE bytes a second is cut off. Waiting connections hold no thread (Jetty
            // parses with NIO as bytes come), so idle and slow clients cannot starve the others.
            cfg.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(IDLE_TIMEOUT_MS));
            AtomicReference<Server> jetty = new AtomicReference<>();
            cfg.events.serverStarting(() -> {
                for (Connector connector : jetty.get().getConnectors()) {
                    if (connector instanceof ServerConnector server) {
                        server.setIdleTimeout(IDLE_TIMEOUT_MS);
                    }
                }
            });
            cfg.jetty.modifyServer(server -> {
                jetty.set(server);
                server.setStopTimeout(STOP_TIMEOUT_MS);
                // Lets requests in flight finish on stop instead of being cut off.
                server.insertHandler(new GracefulHandler());
                server.insertHandler(new MinimumDataRateHandler(MIN_BODY_RATE, 0));
            });
            cfg.routes.before(ctx -> schemaReady.run()); // first: nothing of a request may run on the schema before it is ready
            RequestLog requestLog = new RequestLog();
            cfg.requestLogger.http((ctx, millis) -> {
                requestLog.log(ctx, millis);
                metrics.record(ctx, millis);
            });
            new Guards(hosts, config.recordQueries(), config.security().https(), config.importMaxBytes()).register(cfg);
            Access access = new Access(kinds.stream().map(kind -> kind.kind().path()).toList(), accounts, hosts, csrf, cookies,
                    config.security().publicRead());
            access.register(cfg);
            new HttpErrors(pages, access).register(cfg);
            People catalogue = new People(database);
            CreditPages creditPages = new CreditPages(database, movies, people, catalogue, pages, flash);
            new HomePage(kinds, pages).routes(cfg.routes);
            Map<String, String> titles = new java.util.LinkedHashMap<>();
            kinds.forEach(kind -> titles.put(kind.kind().path(), kind.kind().title()));
            titles.put("credits", "Credits");
            new ImportPages(importer, database, pages, flash, config.importMaxBytes(), titles).routes(cfg.routes);
            new ImportApi(importer, config.importMaxBytes()).routes(cfg.routes);
            new RecordPages<>(users, pages, flash).routes(cfg.routes);
            new RecordPages<>(people, pages, flash,
                    (ctx, person) -> Map.of("more", true, "filmography", catalogue.filmography(person.id()))).routes(cfg.routes);
            new RecordPages<>(movies, pages, flash, creditPages::extras).routes(cfg.routes);
            creditPages.routes(cfg.routes);
            CreditApi creditApi = new CreditApi(database, catalogue);
            // What ?include= adds to a record of a kind, by the kind's path.
            Map<String, Map<String, LongFunction<?>>> includes = Map.of(
                    "people", Map.of("credits", creditApi::ofPerson),
                    "movies", Map.of("credits", creditApi::ofMovie));
            kinds.forEach(kind -> new RecordApi<>(kind, includes.getOrDefault(kind.kind().path(), Map.of())).routes(cfg.routes));
            creditApi.routes(cfg.routes);
            new OpenApi(kinds.stream().<Kind<?, ?>>map(Records::kind).toList(),
                    Map.of("people", Map.of("credits", "PersonCredit"), "movies", Map.of("credits", "MovieCredit")),
                    importer.targets().stream().map(Target::kind).toList()).routes(cfg.routes);
            ApiDocs.register(cfg);
            new HealthApi(database, migrations).routes(cfg.routes);
            metrics.register(cfg);
            History history = new History(database);
            new HistoryWeb(history, pages, kinds.stream().<Kind<?, ?>>map(Records::kind).toList()).routes(cfg.routes);
            new RestoreWeb(history, pages, flash, kinds.stream().<Restores<?, ?>>map(kind -> restores(database, kind)).toList())
                    .routes(cfg.routes);
            new ChangeStream(history).register(cfg);
            new SignInPages(accounts, pages, cookies, hosts, setupToken).routes(cfg.routes);
            new AccountPages(accounts, pages, flash, cookies).routes(cfg.routes);
            new AdminPages(accounts, pages, flash).routes(cfg.routes);
            Methods.register(cfg); // last: it answers HEAD on every GET route added above
        });
    }

    /** What can be imported: every kind of record, then credits (which name them). */
    public static Importer importer(Database database) {
        return importer(database, List.of(new Records<>(database, Users.KIND), new Records<>(database, People.KIND),
                new Records<>(database, Movies.KIND)));
    }

    private static Importer importer(Database database, List<Records<?, ?>> kinds) {
        List<Target> targets = new java.util.ArrayList<>();
        kinds.forEach(kind -> targets.add(recordImport(kind)));
        targets.add(new CreditImport());
        return new Importer(database, targets);
    }

    private static <R extends Record & registry.record.Row, F extends Record> Target recordImport(Records<R, F> records) {
        return new RecordImport<>(records);
    }

    /** A kind's restores, typed by its records (a list of kinds holds them as wildcards). */
    private static <R extends Record & registry.record.Row, F extends Record> Restores<R, F> restores(Database database, Records<R, F> records) {
        return new Restores<>(database, records);
    }
}
