package registry.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import registry.db.Engine;

/**
 * The engine this run of the suite uses: {@code -Dregistry.test.engine=sqlite|postgresql|mariadb}
 * (pom.xml runs the suite once per engine). On a server every test database is a new database of
 * its own, dropped when the run ends, so runs never see each other's rows. Without a server to
 * talk to, the run's tests are skipped with one line saying how to point them at one; on CI
 * ({@code CI} set) they fail instead.
 */
public final class TestEngine implements ExecutionCondition {
    public static final Engine ENGINE = Engine.valueOf(System.getProperty("registry.test.engine", "sqlite").toUpperCase(Locale.ROOT));
    private static final Pattern URL = Pattern.compile("^(jdbc:[a-z]+://[^/?]+/)([^?]*)(\\?.*)?$");
    private static final String RUN = "registry_test_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100_000;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

    /**
     * How long a test JVM's exit spends dropping its databases: a server drops one in about 0.15 s,
     * a run makes a few hundred, and Surefire kills a JVM still exiting after 30 s. What is left is
     * dropped by the next run ({@link #dropLeftOvers}).
     */
    private static final long DROP_AT_EXIT_MS = 10_000;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestEngine::dropAll));
        if (ENGINE != Engine.SQLITE) {
            Thread leftovers = new Thread(TestEngine::dropLeftOvers, "drop-leftover-test-databases");
            leftovers.setDaemon(true);
            leftovers.start();
        }
    }



    /** Where the server of this run's engine is: the environment variable, else this machine's. */
    public static String serverUrl() {
        return serverUrl(ENGINE);
    }

    private static String serverUrl(Engine engine) {
        return switch (engine) {
            case SQLITE -> throw new IllegalStateException("SQLite needs no server");
            case POSTGRESQL -> env("REGISTRY_TEST_POSTGRESQL_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
            case MARIADB -> env("REGISTRY_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test?user=root");
        };
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A new, empty database: a file in {@code dir} for SQLite, a new database on the server otherwise. */
    public static String newDatabaseUrl(Path dir) {
        if (ENGINE == Engine.SQLITE) {
            return "jdbc:sqlite:" + dir.resolve("registry.db");
        }
        String name = RUN + "_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name);
        CREATED.add(name);
        if (ENGINE == Engine.POSTGRESQL) {
            // A test's database need not survive a power loss: a commit need not wait for its WAL's
            // fsync, which is most of what a test of many small writes waits for on a server.
            execute("ALTER DATABASE " + name + " SET synchronous_commit = off");
        }
        return databaseUrl(name);
    }

    /** {@code url} with its host and port replaced: to reach the server through a {@link TcpProxy}. */
    public static String through(String url, int port) {
        return url.replaceFirst("^(jdbc:[a-z]+://)[^/?]+", "$1127.0.0.1:" + port);
    }

    /** The host and port of this run's server. */
    public static java.net.InetSocketAddress serverAddress() {
        Matcher m = Pattern.compile("^jdbc:[a-z]+://([^/:?]+)(?::(\\d+))?").matcher(serverUrl());
        if (!m.find()) {
            throw new IllegalStateException("no host in " + serverUrl());
        }
        int port = m.group(2) != null ? Integer.parseInt(m.group(2)) : ENGINE == Engine.POSTGRESQL ? 5432 : 3306;
        return new java.net.InetSocketAddress(m.group(1), port);
    }

    /** The URL of database {@code name} on this run's server. */
    static String databaseUrl(String name) {
        Matcher url = URL.matcher(serverUrl());
        if (!url.matches()) {
            throw new IllegalStateException("cannot read the database of " + serverUrl());
        }
        return url.group(1) + name + (url.group(3) == null ? "" : url.group(3));
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(Engine.driverUrl(serverUrl())); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void dropAll() {
        long deadline = System.nanoTime() + DROP_AT_EXIT_MS * 1_000_000;
        drop(CREATED, deadline);
    }

    /** Drops {@code names} over one connection until {@code deadline} (System.nanoTime()); the rest are left. */
    private static void drop(List<String> names, long deadline) {
        if (names.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(Engine.driverUrl(serverUrl())); Statement s = c.createStatement()) {
            for (String name : names) {
                if (System.nanoTime() > deadline) {
                    return;
                }
                s.execute(ENGINE == Engine.POSTGRESQL ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)" : "DROP DATABASE IF EXISTS " + name);
            }
        } catch (SQLException e) {
            System.err.println("dropping the test databases: " + e.getMessage());
        }
    }

    /**
     * The databases of earlier test JVMs that are gone (named after their process id), which their
     * exit had no time to drop; in the background, beside this run's tests. A JVM still running,
     * this one's other fork say, keeps its own.
     */
    private static void dropLeftOvers() {
        List<String> gone = new java.util.ArrayList<>();
        String list = ENGINE == Engine.POSTGRESQL ? "SELECT datname FROM pg_database WHERE datname LIKE 'registry\\_test\\_%'"
                : "SHOW DATABASES LIKE 'registry\\_test\\_%'";
        Pattern named = Pattern.compile("registry_test_(\\d+)_\\d+_\\d+");
        try (Connection c = DriverManager.getConnection(Engine.driverUrl(serverUrl())); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(list)) {
            while (rs.next()) {
                Matcher m = named.matcher(rs.getString(1));
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    gone.add(rs.getString(1));
                }
            }
        } catch (SQLException | RuntimeException e) {
            return; // no server: the tests say so themselves
        }
        drop(gone, Long.MAX_VALUE);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (ENGINE == Engine.SQLITE || System.getenv("CI") != null) {
            return ConditionEvaluationResult.enabled("engine " + ENGINE);
        }
        Optional<String> reason = unreachable(ENGINE);
        return reason.isPresent() ? ConditionEvaluationResult.disabled(reason.get()) : ConditionEvaluationResult.enabled("server reachable");
    }

    /** Run by Maven before the tests (pom.xml): one line on the console for each server engine whose run will be skipped. */
    public static void main(String[] args) {
        if (System.getenv("CI") != null) {
            return; // there, an unreachable server fails its run instead
        }
        for (Engine engine : List.of(Engine.POSTGRESQL, Engine.MARIADB)) {
            unreachable(engine).ifPresent(System.out::println);
        }
    }

    private static final java.util.Map<Engine, Optional<String>> UNREACHABLE = new java.util.concurrent.ConcurrentHashMap<>();

    private static Optional<String> unreachable(Engine engine) {
        return UNREACHABLE.computeIfAbsent(engine, e -> {
            String variable = e == Engine.POSTGRESQL ? "REGISTRY_TEST_POSTGRESQL_URL" : "REGISTRY_TEST_MARIADB_URL";
            try (Connection c = DriverManager.getConnection(Engine.driverUrl(serverUrl(e)))) {
                return c.isValid(5) ? Optional.empty() : Optional.of(e + " server at " + serverUrl(e) + " does not answer");
            } catch (SQLException failure) {
                return Optional.of(e + " tests skipped: no server at " + serverUrl(e) + " (" + failure.getMessage()
                        + "); set " + variable + " to a JDBC URL of a database whose user may create databases to run them");
            }
        });
    }
}
