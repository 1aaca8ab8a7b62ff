package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.db.Engine;
import registry.support.TestEngine;
import registry.support.TestServer;

/** database.echo, database.record-queries and the request log. */
class ObservabilityTest {
    @TempDir
    Path dir;

    @Test
    void record_queries_shows_the_requests_statements_at_the_foot_of_the_page() {
        Config config = TestServer.config(dir).withRecordQueries(true);
        try (TestServer server = TestServer.start(config)) {
            server.json("POST", "/api/users", "{\"username\":\"someone\",\"email\":\"someone@example.org\"}");
            String page = server.get("/users?q=someone").body();

            // The data version (the history's head, read once), the search's count (through SQLite's
            // trigram table and the rows above what it holds yet; the server engines' LIKE uses their
            // own indexes), the page, the domain facet.
            String count = TestEngine.ENGINE == Engine.SQLITE ? "SELECT count(*) FROM users WHERE (id IN (SELECT rowid FROM users_search WHERE users_search MATCH"
                    : "SELECT count(*) FROM users";
            assertThat(page).contains("<footer class=\"queries\">", "4 database queries", "SELECT COALESCE(MAX(id), 0) FROM history", count,
                    "GROUP BY", " ms</span>");

            // A refused duplicate re-renders the form: its page lists the INSERT too, though on
            // SQLite the writer's thread ran it.
            HttpResponse<String> refused = server.submit("/users", "/users", Map.of("username", "SOMEONE", "email", "other@example.org"));
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("<code>INSERT INTO users");
        }
    }

    @Test
    void pages_carry_no_query_footer_by_default() {
        try (TestServer server = TestServer.start(dir)) {
            assertThat(server.get("/users").body()).doesNotContain("footer class=\"queries\"");
        }
    }

    @Test
    void echo_logs_each_statement_with_its_time_and_every_request_is_logged() throws InterruptedException {
        Config defaults = TestServer.config(dir);
        Config config = new Config(defaults.databaseUrl(), true, false, defaults.poolSize(), defaults.poolTimeoutSeconds(),
                true, defaults.host(), 0, defaults.secretKey());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (TestServer server = TestServer.start(config)) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            server.get("/api/users/1");
            server.json("POST", "/api/users", "{\"username\":\"echoed\",\"email\":\"echoed@example.org\"}");
            // The request line is written by a background thread: give it a moment (up to 10 s on a busy machine).
            for (int i = 0; i < 500 && !captured.toString(StandardCharsets.UTF_8).contains("GET /api/users/1 404"); i++) {
                Thread.sleep(20);
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).containsPattern("\\d+\\.\\d\\d ms SELECT id, username, email, created_at, updated_at, version FROM users WHERE id = :id");
        assertThat(log).containsPattern("GET /api/users/1 404 \\d+\\.\\d ms");
        // A create's statements run outside JDBI (registry.db.Prepared), logged the same way, with what they bound.
        assertThat(log).containsPattern("\\d+\\.\\d\\d ms INSERT INTO users \\(username, .*username=echoed")
                .containsPattern("\\d+\\.\\d\\d ms INSERT INTO history \\(at, actor, .*label=echoed");
    }
}
