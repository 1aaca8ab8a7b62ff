package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.support.TestServer;

/** No request waits for the database longer than the pool timeout: it answers 503 saying the database is busy. */
class PoolTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void a_write_waiting_past_the_pool_timeout_answers_503_and_reads_go_on() throws Exception {
        Config defaults = TestServer.config(dir);
        Config oneSecond = new Config(defaults.databaseUrl(), false, false, defaults.poolSize(), 1, true, defaults.host(), 0,
                defaults.secretKey());
        try (TestServer server = TestServer.start(oneSecond)) {
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try {
                    server.db.database.write(h -> {
                        holding.countDown();
                        release.await(); // keeps the one write connection busy
                        return null;
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            holder.start();
            holding.await();
            try {
                long start = System.nanoTime();
                HttpResponse<String> write = server.json("POST", "/api/users", "{\"username\":\"waiting\",\"email\":\"w@example.org\"}");
                long millis = (System.nanoTime() - start) / 1_000_000;
                HttpResponse<String> read = server.get("/api/users");

                assertThat(write.statusCode()).isEqualTo(503);
                assertThat(write.body()).contains("busy");
                assertThat(millis).isBetween(900L, 3_000L);
                assertThat(read.statusCode()).isEqualTo(200);
            } finally {
                release.countDown();
                holder.join();
            }
            assertThat(server.json("POST", "/api/users", "{\"username\":\"after\",\"email\":\"a@example.org\"}").statusCode()).isEqualTo(201);
        }
    }
}
