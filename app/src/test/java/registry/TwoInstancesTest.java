package registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.ChildApp;
import registry.support.Schema;
import registry.support.TestDb;

/** Two processes starting at once on one new database: one migrates, the other waits, both serve. */
class TwoInstancesTest {
    @TempDir
    Path dir;

    @Test
    void two_processes_starting_together_both_serve_and_each_changeset_is_applied_once() throws Exception {
        Path db = dir.resolve("registry.db");
        try (ChildApp first = ChildApp.start(db); ChildApp second = ChildApp.start(db)) {
            HttpClient http = HttpClient.newHttpClient();
            for (ChildApp app : new ChildApp[] {first, second}) {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(app.base() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(String.join("\n", app.log())).isEqualTo(200);
                assertThat(health.body()).contains("\"schema\":\"current\"");
            }
        }
        int changesets;
        try (TestDb scratch = TestDb.empty(dir.resolve("scratch"))) {
            changesets = scratch.migrations.pending().size();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThat(Schema.rows(c, "SELECT count(*), count(DISTINCT ID) FROM DATABASECHANGELOG"))
                    .containsExactly(changesets + "|" + changesets);
            assertThat(Schema.rows(c, "SELECT count(*) FROM settings WHERE name = 'secret.key'")).containsExactly("1");
        }
    }
}
