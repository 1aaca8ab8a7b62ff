package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.Server;
import registry.support.TestDb;

/**
 * The server listens while its schema is brought up to date (beside Jetty's start): a request
 * that comes meanwhile waits for the update and is then answered as after it, never from a schema
 * half made.
 */
class StartWhileMigratingTest {
    @TempDir
    Path dir;

    @Test
    void a_request_during_the_update_waits_for_it_then_gets_its_answer() throws Exception {
        try (TestDb db = TestDb.in(dir)) {
            // One changeset pending, and the migration lock held by "another process": the start's update waits until it is let go.
            db.migrations.downgrade(1);
            MigrationLock lock = MigrationLock.take(db.database);
            Config config = db.config.withPort(freePort()).withSecretKey("test-secret");
            CompletableFuture<Server> starting = CompletableFuture.supplyAsync(() -> Server.start(config));
            try {
                awaitListening(config.port(), starting);
                HttpClient http = HttpClient.newHttpClient();
                CompletableFuture<HttpResponse<String>> health = http.sendAsync(get(config, "/health"), HttpResponse.BodyHandlers.ofString());
                CompletableFuture<HttpResponse<String>> signIn = http.sendAsync(get(config, "/sign-in"), HttpResponse.BodyHandlers.ofString());
                Thread.sleep(500);
                assertThat(List.of(health, signIn)).as("answered while the update waits for its lock").noneMatch(CompletableFuture::isDone);
                assertThat(starting).isNotDone();

                lock.release();
                try (Server server = starting.get(120, TimeUnit.SECONDS)) {
                    assertThat(health.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                    assertThat(health.get().body()).contains("\"schema\":\"current\"").doesNotContain("pending");
                    assertThat(signIn.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                    assertThat(server.migrations().pending()).isEmpty();
                }
            } finally {
                lock.release();
                starting.handle((server, failure) -> server).thenAccept(server -> {
                    if (server != null) {
                        server.close();
                    }
                });
            }
        }
    }

    private static HttpRequest get(Config config, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.port() + path)).timeout(java.time.Duration.ofSeconds(60)).build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, CompletableFuture<Server> starting) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !starting.isDone()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("not listening on " + port + " while the update waits" + (starting.isDone() ? ": the start ended" : ""));
    }
}
