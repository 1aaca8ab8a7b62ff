package registry.cli;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import registry.Server;
import registry.config.Config;
import registry.config.ConfigException;
import registry.config.DatabaseUrl;
import registry.schema.MigrationException;
import registry.schema.Migrations;

/** The command line: {@code serve} (the default), {@code db} and {@code account} commands, all on one configuration. */
@Command(name = "registry", mixinStandardHelpOptions = true, version = "Registry 0.1.0",
        description = {"Keeps records in a database; serves them to browsers and a JSON API.",
            "With no command, serves (same as 'serve')."},
        subcommands = {Main.Serve.class, DbCommand.class, AccountCommand.class, ImportCommand.class, WarmUp.class})
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Mixin
    ServeOptions serveOptions;

    @Mixin
    ConfigOptions configOptions;

    public static void main(String[] args) {
        Migrations.parseEarly();
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 done, 1 a negative answer, 2 an error. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ConfigException || e instanceof MigrationException || e instanceof CommandException) {
                command.getErr().println("registry: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, ignored) -> usageError(e.getCommandLine(), e instanceof CommandLine.UnmatchedArgumentException u
                ? u.getUnmatched() : List.of(), e.getMessage()));
        cli.setExecutionStrategy(parsed -> {
            // With --help among them, picocli would print the help of the command before the unknown word and exit 0.
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                if (!p.unmatched().isEmpty()) {
                    return usageError(p.commandSpec().commandLine(), p.unmatched(), "Unmatched arguments: " + p.unmatched());
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    /**
     * A usage error in one line, exit 2: scripts read the line, and a page of help would bury it. An
     * unknown word where a command may stand is named as an unknown command.
     */
    private static int usageError(CommandLine command, List<String> unmatched, String message) {
        String name = command.getCommandSpec().qualifiedName(" ").replaceFirst("^registry ?", "");
        String prefix = "registry: " + (name.isEmpty() ? "" : name + ": ");
        boolean commands = !command.getSubcommands().isEmpty();
        if (commands && !unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
            List<String> known = command.getSubcommands().values().stream().filter(c -> !c.getCommandSpec().usageMessage().hidden())
                    .map(CommandLine::getCommandName).distinct().toList();
            command.getErr().println(prefix + "unknown command '" + unmatched.get(0) + "' (commands: " + String.join(", ", known) + ")");
        } else {
            command.getErr().println(prefix + message.replaceAll("\\s*\\R\\s*", " ") + " (see: " + command.getCommandSpec().qualifiedName(" ") + " --help)");
        }
        return 2;
    }

    @Override
    public Integer call() {
        return serve(configOptions, serveOptions);
    }

    /** Where the server listens. */
    static final class ServeOptions {
        @Option(names = "--host", paramLabel = "HOST", description = "address to listen on (default 127.0.0.1)")
        String host;

        @Option(names = "--port", paramLabel = "PORT", description = "port to listen on (default 8080)")
        String port;

        Map<String, String> flags() {
            Map<String, String> flags = new HashMap<>();
            if (host != null) {
                flags.put("server.host", host);
            }
            if (port != null) {
                flags.put("server.port", port);
            }
            return flags;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the web server (the default command).")
    static final class Serve implements Callable<Integer> {
        @Mixin
        ServeOptions serveOptions;

        @Mixin
        ConfigOptions configOptions;

        @Override
        public Integer call() {
            return serve(configOptions, serveOptions);
        }
    }

    private static int serve(ConfigOptions configOptions, ServeOptions serveOptions) {
        Config config = configOptions.load(serveOptions.flags());
        Server server = Server.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping: finishing requests in flight");
            server.close();
            LOG.info("Stopped");
            stopped.countDown();
        }, "registry-shutdown"));
        LOG.info("Registry serving http://{}:{}/ on {}", config.host(), server.port(), DatabaseUrl.shown(config.databaseUrl()));
        server.setupLink().ifPresent(link -> System.out.println("No account exists yet. To create the first admin, open " + link
                + " (or run: java -jar registry.jar account add NAME --role admin)"));
        awaitQuietly(stopped);
        return 0;
    }

    /** Serving ends only with the process; SIGTERM runs the shutdown hook, which releases this. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
