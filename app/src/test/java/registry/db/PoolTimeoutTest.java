package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.support.Holder;
import registry.support.TestEngine;
import registry.support.TestServer;

/** No request waits for the database longer than the pool timeout: it answers 503 saying the database is busy. */
class PoolTimeoutTest {
    @TempDir
    Path dir;

    /**
     * On SQLite the one write connection is held, and reads go on beside it; on a server engine,
     * whose reads and writes share one pool, every connection of a pool of two is held.
     */
    @Test
    void a_request_waiting_past_the_pool_timeout_answers_503_and_the_pool_recovers() throws Exception {
        Config defaults = TestServer.config(dir);
        boolean sqlite = TestEngine.ENGINE == Engine.SQLITE;
        Config oneSecond = new Config(defaults.databaseUrl(), false, false, sqlite ? defaults.poolSize() : java.util.Optional.of(2),
                1, true, defaults.host(), 0, defaults.secretKey());
        try (TestServer server = TestServer.start(oneSecond)) {
            long alone = System.nanoTime();
            assertThat(server.json("POST", "/api/users", "{\"username\":\"alone\",\"email\":\"alone@example.org\"}").statusCode()).isEqualTo(201);
            alone = (System.nanoTime() - alone) / 1_000_000;
            List<Holder> holders = new ArrayList<>();
            for (int i = 0, held = sqlite ? 1 : 2; i < held; i++) {
                holders.add(Holder.write(server.db.database)); // keeps a connection busy
            }
            try {
                long start = System.nanoTime();
                HttpResponse<String> write = server.json("POST", "/api/users", "{\"username\":\"waiting\",\"email\":\"w@example.org\"}");
                long millis = (System.nanoTime() - start) / 1_000_000;

                assertThat(write.statusCode()).isEqualTo(503);
                assertThat(write.body()).contains("busy");
                // At most the 1 s pool timeout, not the 30 s default: the margin grows with what a write costs now.
                assertThat(millis).as("against " + alone + " ms uncontended").isBetween(900L, 3_000L + 10 * alone);
                if (sqlite) {
                    assertThat(server.get("/api/users").statusCode()).as("a read beside the held writer").isEqualTo(200);
                }
            } finally {
                for (Holder holder : holders) {
                    holder.close();
                }
            }
            assertThat(server.json("POST", "/api/users", "{\"username\":\"after\",\"email\":\"a@example.org\"}").statusCode()).isEqualTo(201);
        }
    }
}
