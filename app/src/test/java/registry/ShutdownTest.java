package registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.ChildApp;
import registry.support.Schema;

/** SIGTERM to the real process under write load: it stops cleanly and loses nothing it acknowledged. */
@Tag("sqlite-only")
@Tag("slow")
class ShutdownTest {
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    @Test
    void sigterm_under_load_finishes_in_flight_writes_and_closes_the_database() throws Exception {
        Path db = dir.resolve("registry.db");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger serverErrors = new AtomicInteger();
        try (ChildApp app = ChildApp.start(db)) {
            String base = app.base();
            String token = app.writeToken();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> createUntilRefused(base, token, "term" + client + "_", acknowledged, serverErrors, app));
                t.start();
                clients.add(t);
            }
            // SIGTERM once writes are flowing, counted in acknowledged writes rather than waited for in
            // time: on a busy machine a cold JVM's first answers come slowly.
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (acknowledged.size() < 2 * CLIENTS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(acknowledged).as("writes acknowledged before SIGTERM").hasSizeGreaterThanOrEqualTo(2 * CLIENTS);
            assertThat(clients).as("clients still writing at SIGTERM").allMatch(Thread::isAlive);

            app.terminate();
            for (Thread t : clients) {
                t.join(30_000);
            }

            assertThat(serverErrors.get()).isZero();
            assertThat(app.log()).anyMatch(line -> line.contains("Stopping: finishing requests in flight"))
                    .anyMatch(line -> line.endsWith("Stopped"));
        }
        // The last connection to close checkpoints the WAL and removes it: the pools were closed.
        assertThat(Files.exists(dir.resolve("registry.db-wal"))).isFalse();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            List<String> stored = Schema.rows(connection, "SELECT username FROM users");
            assertThat(stored).containsAll(acknowledged);
        }
    }

    private static void createUntilRefused(String base, String token, String prefix, Set<String> acknowledged, AtomicInteger serverErrors, ChildApp app) {
        HttpClient http = HttpClient.newHttpClient();
        for (int n = 0; ; n++) {
            String name = prefix + n;
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/users"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
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
                // closed under the request: not acknowledged, so not counted
                if (!app.process().isAlive()) {
                    return;
                }
            }
        }
    }
}
