package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.TestServer;

/** Failures answer with a page (or JSON) saying what is wrong, never a stack trace. */
class ErrorPagesTest {
    @TempDir
    Path dir;

    @Test
    void a_database_that_is_gone_is_a_503_page_and_json_not_a_500() {
        try (TestServer server = TestServer.start(dir)) {
            server.db.database.close(); // every query now fails to get a connection

            HttpResponse<String> page = server.get("/users");
            HttpResponse<String> api = server.get("/api/users");
            HttpResponse<String> health = server.get("/health");

            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.body()).contains("<h1>Service Unavailable</h1>", "The database is not available")
                    .doesNotContain("Exception", "at registry.");
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.body()).isEqualTo("{\"error\":\"The database is not available: its connections are closed.\"}");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"database\":\"DOWN\"", "connections are closed");
        }
    }

    @Test
    @Tag("sqlite-only") // the servers refuse to store such a time; what a 500 looks like is the same on every engine
    void an_unexpected_failure_is_a_500_page_without_a_trace() {
        try (TestServer server = TestServer.start(dir)) {
            // A time no engine would store: reading it is a failure nobody planned for. (A missing
            // table is not one: it says the schema is behind, a 503.)
            server.json("POST", "/api/users", "{\"username\":\"broken\",\"email\":\"broken@example.org\"}");
            server.db.database.write(h -> h.execute("UPDATE users SET created_at = 'not a time'"));

            HttpResponse<String> page = server.get("/users");
            HttpResponse<String> api = server.get("/api/users");

            assertThat(page.statusCode()).isEqualTo(500);
            assertThat(page.body()).contains("<h1>Server Error</h1>", "Something went wrong on our side")
                    .doesNotContain("Exception", "at registry.", "not a time");
            assertThat(api.statusCode()).isEqualTo(500);
            assertThat(api.body()).isEqualTo("{\"error\":\"Something went wrong on our side; it has been logged\"}");
        }
    }

    @Test
    void a_page_that_does_not_exist_still_says_who_is_signed_in() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> signedIn = server.get("/nowhere");
            HttpResponse<String> nobody = server.anonymousBrowser().get("/nowhere");

            assertThat(signedIn.statusCode()).isEqualTo(404);
            assertThat(signedIn.body()).contains("There is no page at /nowhere", "admin", "Sign out");
            assertThat(nobody.statusCode()).isEqualTo(404);
            assertThat(nobody.body()).contains("There is no page at /nowhere", "Sign in").doesNotContain("Sign out");
        }
    }
}
