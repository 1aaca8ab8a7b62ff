package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.Schema;
import registry.support.TestServer;

/** A full database refuses writes with 503, keeps serving reads, and writes again once there is room. */
@Tag("sqlite-only")
class FullDiskTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> create(TestServer server, int n) {
        return server.json("POST", "/api/users", "{\"username\":\"full_" + n + "\",\"email\":\"full_" + n + "_"
                + "x".repeat(40) + "@example.org\"}");
    }

    @Test
    void writes_answer_503_while_the_database_is_full_and_recover_without_a_restart() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            long pages = server.db.database.read(h -> h.createQuery("PRAGMA page_count").mapTo(Long.class).one());
            // The limit is a setting of the connection; every write goes through the one write connection.
            server.db.database.writeOne(h -> h.execute("PRAGMA max_page_count = " + pages));

            HttpResponse<String> refused = null;
            int created = 0;
            for (int n = 0; n < 500 && refused == null; n++) {
                HttpResponse<String> response = create(server, n);
                if (response.statusCode() == 201) {
                    created++;
                } else {
                    refused = response;
                }
            }
            assertThat(refused).as("a write refused once the pages run out").isNotNull();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("full");
            HttpResponse<String> page = server.get("/users");
            assertThat(page.statusCode()).isEqualTo(200);
            HttpResponse<String> form = server.submit("/users", "/users", java.util.Map.of("username", "full_form", "email", "form@example.org"));
            assertThat(form.statusCode()).isEqualTo(503);
            assertThat(form.body()).contains("Service Unavailable", "full");

            server.db.database.writeOne(h -> h.execute("PRAGMA max_page_count = 1073741823"));
            HttpResponse<String> again = create(server, 9999);

            assertThat(again.statusCode()).isEqualTo(201);
            assertThat(server.get("/api/users?size=1").body()).contains("\"total\":" + (created + 1));
            java.util.List<String> integrity = server.db.database.read(h -> Schema.rows(h.getConnection(), "PRAGMA integrity_check"));
            assertThat(integrity).containsExactly("ok");
        }
    }
}
