package registry.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.support.Sse;
import registry.support.TestServer;

/** The change stream across instances, under a thousand clients, and with a client that stops reading. */
@Tag("slow")
class ChangeStreamLoadTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static int open() {
        return server.app.unsafe.appDataManager.get(ChangeStream.KEY).size();
    }

    /** Waits up to {@code seconds} for the server to hold {@code streams} streams. */
    private static void awaitOpen(int streams, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (open() != streams && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(open()).as("streams held by the server").isEqualTo(streams);
    }

    /** A raw connection that asks for the stream and reads nothing: a client as cheap as can be. */
    private static Socket stream(String token, int receiveBuffer) throws Exception {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", server.app.port()));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/changes/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void an_entry_written_by_another_instance_arrives() throws Exception {
        try (TestServer other = TestServer.start(server.db.config);
             Sse stream = Sse.open(server.browser, server.uri("/api/changes/stream"), Map.of())) {
            assertThat(other.json("POST", "/api/movies", "{\"title\":\"From the other instance\"}").statusCode()).isEqualTo(201);

            assertThat(stream.next().data()).contains("From the other instance");
        }
    }

    /** The streams' threads and connections are the web layer's, the same on every engine: SQLite's run alone (CI's minutes). */
    @Test
    @Tag("sqlite-only")
    void a_thousand_streams_leave_a_normal_request_answering_within_a_second_and_the_threads_bounded() throws Exception {
        String token = server.token(Role.VIEWER, "read");
        server.anonymousBrowser().withToken(token, "GET", "/api/users", null); // warm
        int threadsBefore = Thread.activeCount();
        List<Socket> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                streams.add(stream(token, 0));
            }
            awaitOpen(1000, 60);

            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<String> users = server.anonymousBrowser().withToken(token, "GET", "/api/users", null);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(users.statusCode()).isEqualTo(200);
                assertThat(millis).as("GET /api/users among 1,000 streams").isLessThan(1000);
            }
            assertThat(server.json("POST", "/api/movies", "{\"title\":\"To the thousand\"}").statusCode()).isEqualTo(201);
            InputStream last = streams.get(999).getInputStream();
            byte[] seen = new byte[64 * 1024];
            StringBuilder text = new StringBuilder();
            long end = System.nanoTime() + 10_000_000_000L;
            while (!text.toString().contains("To the thousand") && System.nanoTime() < end) {
                int n = last.read(seen);
                if (n < 0) {
                    break;
                }
                text.append(new String(seen, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(text).as("the last stream opened").contains("HTTP/1.1 200", "event: change", "To the thousand");
            assertThat(Thread.activeCount() - threadsBefore).as("threads added for 1,000 streams").isLessThan(80);
        } finally {
            for (Socket socket : streams) {
                socket.close();
            }
        }
        awaitOpen(0, 30);
    }

    @Test
    @Tag("sqlite-only")
    void a_client_that_stops_reading_is_dropped_and_the_others_go_on() throws Exception {
        String token = server.token(Role.ADMIN, "read");
        try (Socket stuck = stream(token, 4096);
             Sse reading = Sse.open(server.browser, server.uri("/api/changes/stream"), Map.of())) {
            awaitOpen(2, 10);
            // Some 20 MB of entries: more than the socket buffers between the server and the stuck client hold.
            String big = "x".repeat(200_000);
            for (int batch = 0; batch < 10; batch++) {
                server.db.database.write(h -> {
                    for (int i = 0; i < 10; i++) {
                        History.write(h, Actor.CLI, "update", "movies", 1, "big", Map.of("note", big));
                    }
                    return null;
                });
            }
            for (int i = 0; i < 100; i++) {
                assertThat(reading.next().data()).contains("\"label\":\"big\"");
            }
            awaitOpen(1, (int) (ChangeStream.STALL_MS / 1000) + 10);
            assertThat(stuck.isClosed()).as("only the server let go of it").isFalse();

            assertThat(server.json("POST", "/api/movies", "{\"title\":\"After the drop\"}").statusCode()).isEqualTo(201);
            assertThat(reading.next().data()).contains("After the drop");
        }
    }
}
