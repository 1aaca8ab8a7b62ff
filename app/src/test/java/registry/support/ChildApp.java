package registry.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Registry as its own process, the way users run it, with its log kept for the test to read. */
public final class ChildApp implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("Registry serving http://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final List<String> log = new ArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread reader;

    private final String databaseUrl;

    private ChildApp(Process process, String databaseUrl) {
        this.databaseUrl = databaseUrl;
        this.process = process;
        this.reader = new Thread(this::read, "child-log");
        reader.start();
    }

    /** Starts {@code registry.cli.Main serve} on a random port over the SQLite file {@code db}. */
    public static ChildApp start(Path db) throws IOException {
        return start("jdbc:sqlite:" + db);
    }

    /** Starts {@code registry.cli.Main serve} on a random port over the database at {@code databaseUrl}. */
    public static ChildApp start(String databaseUrl) throws IOException {
        return start(databaseUrl, Map.of());
    }

    /** As {@link #start(String)}, with {@code environment} added to this process's. */
    public static ChildApp start(String databaseUrl, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.log.registry.cli.Main=info", "-Dorg.slf4j.simpleLogger.log.registry.Server=info",
                "-cp", System.getProperty("java.class.path"), "registry.cli.Main",
                "--port", "0", "--database-url", databaseUrl)
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new ChildApp(builder.start(), databaseUrl);
    }

    /**
     * Starts the packaged app as the run command does, {@code java @target/registry.args -jar
     * target/registry.jar} (mvn package makes both), with {@code jvmOptions} added, on a random port
     * over the database at {@code databaseUrl}.
     */
    public static ChildApp startJar(Path target, String databaseUrl, List<String> jvmOptions) throws IOException {
        return startJar(List.of(), target, databaseUrl, jvmOptions);
    }

    /** As {@link #startJar(Path, String, List)}, run by {@code wrapper} (strace and its options, say). */
    public static ChildApp startJar(List<String> wrapper, Path target, String databaseUrl, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + target.resolve("registry.args"), "-Dorg.slf4j.simpleLogger.log.registry.cli.Main=info",
                "-Dorg.slf4j.simpleLogger.log.registry.Server=info"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", target.resolve("registry.jar").toString(), "--port", "0", "--database-url", databaseUrl));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        return new ChildApp(builder.start(), databaseUrl);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                synchronized (log) {
                    log.add(line);
                }
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
            port.completeExceptionally(new IllegalStateException("the app stopped without serving:\n" + String.join("\n", log())));
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
    }

    /** The base URL once it serves. The wait only catches a start that hangs: a busy machine can take half a minute. */
    public String base() throws Exception {
        return "http://127.0.0.1:" + port.get(120, TimeUnit.SECONDS);
    }

    /**
     * A new write token of an editor account in the app's database (made on first use), for a
     * client of the API; call once the app serves (its schema is in place).
     */
    public String writeToken() throws Exception {
        base();
        try (TestDb db = TestDb.with(registry.config.Config.defaults().withDatabaseUrl(databaseUrl).withPort(0))) {
            registry.account.Accounts accounts = new registry.account.Accounts(db.database, java.time.Clock.systemUTC(), 480);
            if (accounts.find("child-editor").isEmpty()) {
                accounts.add("child-editor", registry.access.Role.EDITOR, TestServer.PASSWORD, registry.history.Actor.CLI);
            }
            return accounts.createToken(accounts.find("child-editor").orElseThrow().id(), "child-" + System.nanoTime(), "write", null, registry.history.Actor.CLI).secret();
        }
    }

    public Process process() {
        return process;
    }

    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** SIGTERM through the handle: Process.destroy() would also close our end of its output. */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        // Stopping may take the server's stop timeout (10 s) and the writer's last batch; the rest is margin for a busy machine.
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("still running 60 s after SIGTERM");
        }
        reader.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
