package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.support.TcpProxy;
import registry.support.TestEngine;
import registry.support.TestServer;

/**
 * The database server goes away under a running app, and comes back: every request is answered
 * 503 naming the cause within the pool timeout, none hangs, and the app recovers by itself.
 * (SQLite's equivalents are in FullDiskTest and ErrorPagesTest.)
 */
@Tag("server-only")
class ServerGoneTest {
    private static final int POOL_TIMEOUT_SECONDS = 2;

    @TempDir
    Path dir;

    @Test
    void a_stopped_server_gives_503s_within_the_pool_timeout_and_the_app_recovers_when_it_is_back() throws Exception {
        InetSocketAddress server = TestEngine.serverAddress();
        try (TcpProxy proxy = new TcpProxy(server.getHostString(), server.getPort())) {
            Config direct = TestServer.config(dir);
            Config viaProxy = new Config(TestEngine.through(direct.databaseUrl(), proxy.port()), false, false, Optional.of(2),
                    POOL_TIMEOUT_SECONDS, true, direct.host(), 0, direct.secretKey());
            try (TestServer app = TestServer.start(viaProxy)) {
                assertThat(app.json("POST", "/api/users", "{\"username\":\"kept\",\"email\":\"kept@example.org\"}").statusCode()).isEqualTo(201);

                proxy.stop();
                Timed health = timed(() -> app.get("/health"));
                Timed page = timed(() -> app.get("/users"));
                Timed write = timed(() -> app.json("POST", "/api/users", "{\"username\":\"lost\",\"email\":\"lost@example.org\"}"));

                for (Timed answer : new Timed[] {health, page, write}) {
                    assertThat(answer.response().statusCode()).as(answer.response().body()).isEqualTo(503);
                    assertThat(answer.response().body()).contains("cannot be reached").doesNotContain("Exception", "at registry.");
                    assertThat(answer.millis()).as("answered within the pool timeout").isLessThan(POOL_TIMEOUT_SECONDS * 1000L + 1500);
                }
                assertThat(health.response().body()).contains("\"database\":\"DOWN\"");
                assertThat(page.response().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");

                proxy.start();
                long deadline = System.nanoTime() + 15_000_000_000L;
                while (app.get("/health").statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(app.get("/health").body()).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\",\"schema\":\"current\"}");
                assertThat(app.get("/api/users").body()).contains("\"username\":\"kept\"", "\"total\":1");
                assertThat(app.json("POST", "/api/users", "{\"username\":\"later\",\"email\":\"later@example.org\"}").statusCode()).isEqualTo(201);
            }
        }
    }

    private record Timed(HttpResponse<String> response, long millis) {}

    private static Timed timed(java.util.function.Supplier<HttpResponse<String>> request) {
        long start = System.nanoTime();
        HttpResponse<String> response = request.get();
        return new Timed(response, (System.nanoTime() - start) / 1_000_000);
    }
}
