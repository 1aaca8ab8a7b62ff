package registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to the real process under write load: it stops cleanly and loses nothing it acknowledged. */
class ShutdownTest {
    private static final Pattern SERVING = Pattern.compile("Registry serving http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void sigterm_under_load_finishes_in_flight_writes_and_closes_the_database() throws Exception {
        Path db = dir.resolve("registry.db");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.log.registry.Main=info",
                "-cp", System.getProperty("java.class.path"), "registry.Main",
                "--port", "0", "--database-url", "jdbc:sqlite:" + db)
                .redirectErrorStream(true).start();
        try {
            runUnderLoadAndStop(process, db);
        } finally {
            process.destroyForcibly();
        }
    }

    private void runUnderLoadAndStop(Process process, Path db) throws Exception {
        List<String> log = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
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
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
        });
        reader.start();
        String base = "http://127.0.0.1:" + port.get(30, TimeUnit.SECONDS);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger serverErrors = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newHttpClient();
                for (int n = 0; ; n++) {
                    String name = "term" + client + "_" + n;
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/users"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.org\"}"))
                            .build();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 201) {
                            acknowledged.add(name);
                        } else if (response.statusCode() == 500) {
                            serverErrors.incrementAndGet();
                        }
                    } catch (ConnectException e) {
                        return;
                    } catch (Exception e) {
                        // the connection was closed under the request: not acknowledged, so not counted
                        if (!process.isAlive()) {
                            return;
                        }
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        Thread.sleep(1500);
        // SIGTERM through the handle: Process.destroy() would also close our end of its output.
        process.toHandle().destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (Thread t : clients) {
            t.join(10_000);
        }
        reader.join(5_000);

        assertThat(serverErrors.get()).isZero();
        assertThat(acknowledged).hasSizeGreaterThan(10);
        synchronized (log) {
            assertThat(log).anyMatch(line -> line.contains("Stopping: finishing requests in flight"))
                    .anyMatch(line -> line.endsWith("Stopped"));
        }
        // The last connection to close checkpoints the WAL and removes it: the pools were closed.
        assertThat(Files.exists(dir.resolve("registry.db-wal"))).isFalse();
        Set<String> stored = ConcurrentHashMap.newKeySet();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rows = connection.createStatement().executeQuery("SELECT username FROM users")) {
            while (rows.next()) {
                stored.add(rows.getString(1));
            }
        }
        assertThat(stored).containsAll(acknowledged);
    }
}
