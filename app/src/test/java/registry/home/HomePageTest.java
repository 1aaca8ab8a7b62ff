package registry.home;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

class HomePageTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void home_counts_each_record_and_shows_the_five_most_recently_changed() {
        for (int i = 1; i <= 7; i++) {
            server.json("POST", "/api/movies", "{\"title\":\"Home Movie " + i + "\"}");
        }
        server.json("PUT", "/api/movies/2", "{\"title\":\"Home Movie 2 (edited)\",\"version\":1}");
        server.json("POST", "/api/people", "{\"name\":\"Home Person\"}");

        String home = server.get("/").body();

        assertThat(home).contains("<strong>7</strong> movies", "<strong>1</strong> person", "<strong>0</strong> users");
        int movies = home.indexOf("id=\"summary-movies\"");
        String box = home.substring(movies, home.indexOf("</section>", movies));
        assertThat(box).contains("Home Movie 2 (edited)", "Home Movie 7", "Home Movie 4").doesNotContain("Home Movie 3<", "Home Movie 1<");
        assertThat(box.indexOf("Home Movie 2 (edited)")).isLessThan(box.indexOf("Home Movie 7"));
    }
}
