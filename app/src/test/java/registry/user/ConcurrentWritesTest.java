package registry.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.TestServer;

/** The write path under concurrency: nothing acknowledged is lost, nothing answers 5xx. */
@Tag("slow")
class ConcurrentWritesTest {
    private static final int CLIENTS = 16;
    private static final long SECONDS = 10;
    /** Each client goes on past the ten seconds until it has this many acknowledged: a busy machine writes less in them. */
    private static final int EACH = 10;

    @TempDir
    Path dir;

    @Test
    void sixteen_clients_creating_for_ten_seconds_lose_nothing() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger serverErrors = new AtomicInteger();
            AtomicInteger locked = new AtomicInteger();
            long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    TestServer.Browser browser = server.newBrowser();
                    int mine = 0;
                    for (int n = 0; System.nanoTime() < deadline || (mine < EACH && n < 100 * EACH); n++) {
                        String name = "c" + client + "_" + n;
                        // Half the clients use the form, half the API: both write paths share one writer.
                        HttpResponse<String> response = client % 2 == 0
                                ? browser.json("POST", "/api/users", "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.org\"}")
                                : browser.submit("/users?size=1", "/users",
                                        Map.of("username", name, "email", name + "@example.org"));
                        if (response.statusCode() == 201 || response.statusCode() == 303) {
                            acknowledged.add(name);
                            mine++;
                        } else if (response.statusCode() >= 500) {
                            serverErrors.incrementAndGet();
                        }
                        if (response.body().contains("database is locked")) {
                            locked.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
            pool.shutdown();

            List<String> stored = server.db.database.read(h -> h.createQuery("SELECT username FROM users").mapTo(String.class).list());
            assertThat(serverErrors.get()).isZero();
            assertThat(locked.get()).isZero();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(CLIENTS * EACH);
            assertThat(stored).containsAll(acknowledged).hasSameSizeAs(acknowledged);
        }
    }
}
