package registry.movie;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Year;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

/** Movies over HTTP: the rules of a movie and its search. */
class MoviesPagesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static HttpResponse<String> create(String title, String year) {
        return server.submit("/movies", "/movies", Map.of("title", title, "year", year));
    }

    private static long api(String title) {
        HttpResponse<String> response = server.json("POST", "/api/movies", "{\"title\":\"" + title + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Long.parseLong(response.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1"));
    }

    @Test
    void year_runs_from_1888_to_ten_years_ahead() {
        int last = Year.now().getValue() + 10;

        assertThat(create("Roundhay Garden Scene", "1888").statusCode()).isEqualTo(303);
        assertThat(create("Announced", String.valueOf(last)).statusCode()).isEqualTo(303);
        HttpResponse<String> early = create("Too Early", "1887");
        HttpResponse<String> late = create("Too Late", String.valueOf(last + 1));

        assertThat(early.statusCode()).isEqualTo(422);
        assertThat(early.body()).contains("Year must be a year from 1888 to " + last);
        assertThat(late.statusCode()).isEqualTo(422);
    }

    @Test
    void a_title_is_required_and_at_most_200_characters() {
        assertThat(create("  ", "").body()).contains("Title is required");
        assertThat(create("t".repeat(201), "").body()).contains("Title must be at most 200 characters long");
        assertThat(create("t".repeat(200), "").statusCode()).isEqualTo(303);
    }

    @Test
    void search_finds_a_substring_in_the_middle_ignoring_case_and_accents() {
        api("Le Fabuleux Destin d'Amélie Poulain");
        api("Amelie from Montmartre");

        String accented = server.get("/api/movies?q=AMÉLIE").body();
        String plain = server.get("/api/movies?q=melie").body();
        String short2 = server.get("/api/movies?q=Po").body();

        assertThat(accented).contains("Le Fabuleux Destin", "Amelie from Montmartre").contains("\"total\":2");
        assertThat(plain).contains("Le Fabuleux Destin", "Amelie from Montmartre");
        assertThat(short2).contains("Poulain");
    }

    @Test
    void percent_underscore_and_quotes_in_a_search_are_plain_characters() {
        api("100% Arabica");
        api("1000 Arabicas");
        api("Under_score");
        api("Say \\\"Cheese\\\"");

        assertThat(server.get("/api/movies?q=100%25%20ar").body()).contains("100% Arabica").doesNotContain("1000 Arabicas");
        assertThat(server.get("/api/movies?q=r_s").body()).contains("Under_score");
        assertThat(server.get("/api/movies?q=r_sc").body()).contains("\"total\":1");
        assertThat(server.get("/api/movies?q=%22cheese%22").body()).contains("Cheese").contains("\"total\":1");
    }

    @Test
    void the_search_index_follows_updates_and_deletes() {
        long id = api("Working Title Zebra");
        server.json("PUT", "/api/movies/" + id, "{\"title\":\"Final Title Quokka\",\"version\":1}");

        assertThat(server.get("/api/movies?q=zebra").body()).contains("\"total\":0");
        assertThat(server.get("/api/movies?q=quokka").body()).contains("\"total\":1");
        server.json("DELETE", "/api/movies/" + id, null);
        assertThat(server.get("/api/movies?q=quokka").body()).contains("\"total\":0");
    }
}
