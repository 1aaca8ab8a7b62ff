package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.TestServer;

/** An unexpected failure is a page (or JSON) saying so, never a stack trace. */
class ErrorPagesTest {
    @TempDir
    Path dir;

    @Test
    void a_failure_inside_a_request_is_a_500_page_without_a_trace() {
        try (TestServer server = TestServer.start(dir)) {
            server.db.database.close(); // every query now fails

            HttpResponse<String> page = server.get("/users");
            HttpResponse<String> api = server.get("/api/users");

            assertThat(page.statusCode()).isEqualTo(500);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.body()).contains("<h1>Server Error</h1>", "Something went wrong on our side")
                    .doesNotContain("Exception", "at registry.", "Hikari");
            assertThat(api.statusCode()).isEqualTo(500);
            assertThat(api.body()).isEqualTo("{\"error\":\"Something went wrong on our side; it has been logged\"}");
        }
    }
}
