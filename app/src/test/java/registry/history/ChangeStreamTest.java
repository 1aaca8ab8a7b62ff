package registry.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import registry.access.Role;
import registry.support.Sse;
import registry.support.TestServer;

/** SPEC "History and trash": GET /api/changes/stream, each entry as an event as it is written. */
class ChangeStreamTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static long head() {
        return server.db.database.read(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM history").mapTo(Long.class).one());
    }

    private static void movie(String title) {
        assertThat(server.json("POST", "/api/movies", "{\"title\":\"" + title + "\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void an_entry_written_after_a_client_connects_arrives_as_an_event_with_its_id() throws Exception {
        try (Sse stream = Sse.open(server.browser, server.uri("/api/changes/stream"), Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            movie("Streamed");
            Sse.Event event = stream.next();

            assertThat(event.id()).isEqualTo(head());
            assertThat(event.type()).isEqualTo("change");
            assertThat(event.data()).startsWith("{\"id\":" + head() + ",").contains("\"action\":\"create\"", "\"kind\":\"movies\"",
                    "\"label\":\"Streamed\"", "\"changes\":{");
        }
    }

    @Test
    void last_event_id_resumes_exactly_after_it_with_the_missed_entries_in_order() throws Exception {
        movie("Missed 1");
        long first = head();
        movie("Missed 2");
        movie("Missed 3");

        try (Sse stream = Sse.open(server.browser, server.uri("/api/changes/stream"), Map.of("Last-Event-ID", Long.toString(first)));
             Sse byQuery = Sse.open(server.browser, server.uri("/api/changes/stream?after=" + (first + 1)), Map.of())) {
            List<Sse.Event> events = List.of(stream.next(), stream.next());
            movie("Live");

            assertThat(events).extracting(Sse.Event::id).containsExactly(first + 1, first + 2);
            assertThat(events.get(0).data()).contains("Missed 2");
            assertThat(stream.next().data()).contains("Live");
            assertThat(byQuery.next().id()).isEqualTo(first + 2);
        }
    }

    @Test
    void a_viewer_is_not_given_account_entries_and_an_admin_is() throws Exception {
        String viewerToken = server.token(Role.VIEWER, "read");
        try (Sse viewer = Sse.open(server.anonymousBrowser(), server.uri("/api/changes/stream"), Map.of("Authorization", "Bearer " + viewerToken));
             Sse admin = Sse.open(server.browser, server.uri("/api/changes/stream"), Map.of())) {
            server.db.database.write(h -> {
                History.write(h, Actor.CLI, "create", History.ACCOUNTS, 1, "someone", Map.of("role", "viewer"));
                return null;
            });
            movie("After the account");

            assertThat(admin.next().data()).contains("\"kind\":\"accounts\"");
            assertThat(admin.next().data()).contains("After the account");
            assertThat(viewer.next().data()).contains("After the account");
        }
    }

    @Test
    void stopping_the_server_ends_its_streams_at_once_rather_than_waiting_for_them(@TempDir Path dir) throws Exception {
        TestServer other = TestServer.start(dir);
        Sse stream = Sse.open(other.browser, other.uri("/api/changes/stream"), Map.of());
        assertThat(stream.status()).isEqualTo(200);

        long start = System.nanoTime();
        other.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        stream.close();

        assertThat(millis).as("a stop waits up to 10 s for requests in flight; a stream is not one to wait for").isLessThan(5000);
    }

    @Test
    void nobody_is_401_and_a_bad_last_event_id_is_400() {
        HttpResponse<String> anonymous = server.anonymousBrowser().get("/api/changes/stream");
        HttpResponse<String> bad = server.browser.send(HttpRequest.newBuilder(server.uri("/api/changes/stream"))
                .header("Last-Event-ID", "yesterday").build());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(bad.statusCode()).isEqualTo(400);
    }
}
