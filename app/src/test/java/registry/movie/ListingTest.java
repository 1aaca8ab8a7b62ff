package registry.movie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

/**
 * Sorting and paging through 45 movies, with repeated and missing years and titles that differ
 * only in case: every page of every order, read one by one (the later ones from the other end of
 * the table), adds up to the same list as one big page.
 */
class ListingTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final Pattern ID = Pattern.compile("\\{\"id\":(\\d+),");

    @BeforeAll
    static void fill() {
        for (int i = 0; i < 45; i++) {
            String title = (i % 3 == 0 ? "the " : "The ") + "Film " + (char) ('a' + i % 7) + i;
            String year = i % 5 == 0 ? "" : ",\"year\":" + (1990 + i % 4);
            assertThat(server.json("POST", "/api/movies", "{\"title\":\"" + title + "\"" + year + "}").statusCode()).isEqualTo(201);
        }
    }

    private static List<String> ids(String json) {
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(json);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void every_page_of_every_order_adds_up_to_the_whole_list() {
        for (String sort : List.of("id", "title", "year", "created_at", "updated_at")) {
            for (String order : List.of("asc", "desc")) {
                List<String> whole = ids(server.get("/api/movies?size=100&sort=" + sort + "&order=" + order).body());
                List<String> paged = new ArrayList<>();
                for (int page = 1; page <= 7; page++) {
                    paged.addAll(ids(server.get("/api/movies?size=7&page=" + page + "&sort=" + sort + "&order=" + order).body()));
                }
                assertThat(whole).as(sort + " " + order).hasSize(45);
                assertThat(paged).as(sort + " " + order).isEqualTo(whole);
            }
        }
    }

    @Test
    void titles_sort_ignoring_case_and_missing_years_sort_first_ascending() {
        List<String> byTitle = ids(server.get("/api/movies?size=100&sort=title").body());
        String years = server.get("/api/movies?size=3&sort=year").body();

        assertThat(byTitle).hasSize(45);
        assertThat(server.get("/api/movies?size=1&sort=title").body()).contains("Film a0\"");
        assertThat(years).contains("\"year\":null").doesNotContain("\"year\":1991");
    }

    @Test
    void searching_pages_and_totals_count_only_matches() {
        String first = server.get("/api/movies?q=FILM%20A&size=2&sort=title&order=desc").body();
        String last = server.get("/api/movies?q=film%20a&size=2&page=4&sort=title&order=desc").body();

        assertThat(first).contains("\"total\":7", "\"page\":1", "\"size\":2");
        assertThat(ids(last)).hasSize(1);
    }

    @Test
    void page_links_keep_the_search_the_sort_and_the_order() {
        String page = server.get("/movies?q=film&sort=year&order=desc&size=10&page=2").body();

        assertThat(page).contains("href=\"?q=film&amp;sort=year&amp;order=desc&amp;size=10&amp;page=3\"",
                "href=\"?q=film&amp;sort=year&amp;order=desc&amp;size=10&amp;page=1\"", "11&ndash;20 of 45 movies", "page 2 of 5",
                "aria-sort=\"descending\"");
    }

    @Test
    void a_page_past_the_end_is_empty() {
        String past = server.get("/api/movies?page=99").body();

        assertThat(past).startsWith("{\"items\":[]").contains("\"total\":45");
    }
}
