package registry.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.config.Security;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/** SPEC "The first admin" on a new install, and what security.public-read opens. */
class FirstAdminAndPublicReadTest {
    @TempDir
    Path dir;

    @Test
    void a_new_install_serves_only_sign_in_and_health_and_its_setup_link_makes_the_first_admin_once() {
        try (TestServer fresh = TestServer.startSignedOut(TestServer.config(dir))) {
            String link = fresh.setupLink().orElseThrow();
            String path = link.substring(link.indexOf("/setup/"));
            Browser browser = fresh.anonymousBrowser();

            assertThat(link).matches("http://127\\.0\\.0\\.1:" + fresh.app.port() + "/setup/[A-Za-z0-9_-]{43}");
            assertThat(browser.get("/").statusCode()).isEqualTo(303);
            assertThat(browser.get("/sign-in").statusCode()).isEqualTo(200);
            assertThat(browser.get("/health").statusCode()).isEqualTo(200);
            assertThat(browser.get("/setup/" + "A".repeat(43)).statusCode()).as("another token").isEqualTo(404);
            HttpResponse<String> mismatch = browser.submit(path, path, Map.of("username", "root", "password", TestServer.PASSWORD, "confirm", "other-password-x"));
            HttpResponse<String> weak = browser.submit(path, path, Map.of("username", "root", "password", "password123", "confirm", "password123"));
            HttpResponse<String> made = browser.submit(path, path, Map.of("username", "root", "password", TestServer.PASSWORD, "confirm", TestServer.PASSWORD));

            assertThat(mismatch.statusCode()).isEqualTo(422);
            assertThat(mismatch.body()).contains("The two passwords differ");
            assertThat(weak.statusCode()).isEqualTo(422);
            assertThat(weak.body()).contains("too common");
            assertThat(made.statusCode()).isEqualTo(303);
            assertThat(made.headers().firstValue("Location")).hasValue("/");
            assertThat(browser.get("/api/me").body()).contains("\"username\":\"root\"", "\"role\":\"admin\"");
            assertThat(browser.get(path).statusCode()).as("the link once an account exists").isEqualTo(404);
            assertThat(fresh.setupLink()).isEmpty();
        }
    }

    @Test
    void public_read_opens_record_reads_to_everyone_and_nothing_else() {
        Config config = TestServer.config(dir);
        config = config.withSecurity(config.security().withPublicRead(true));
        try (TestServer open = TestServer.start(config)) {
            open.json("POST", "/api/movies", "{\"title\":\"Public Domain\",\"year\":1927}");
            Browser anyone = open.anonymousBrowser();

            assertThat(anyone.get("/movies").body()).contains("Public Domain").doesNotContain("New movie");
            assertThat(anyone.get("/movies/1").statusCode()).isEqualTo(200);
            assertThat(anyone.get("/movies.csv").statusCode()).isEqualTo(200);
            assertThat(anyone.get("/api/movies").body()).contains("Public Domain");
            assertThat(anyone.get("/").statusCode()).isEqualTo(200);
            assertThat(anyone.json("POST", "/api/movies", "{\"title\":\"Sneaked In\"}").statusCode()).isEqualTo(401);
            assertThat(anyone.get("/movies/1/edit").statusCode()).isEqualTo(303);
            assertThat(anyone.get("/movies/1/delete").statusCode()).isEqualTo(303);
            assertThat(anyone.get("/api/me").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void public_read_is_off_by_default() {
        assertThat(Security.defaults().publicRead()).isFalse();
        assertThat(Config.defaults().security()).isEqualTo(Security.defaults());
    }
}
