package registry.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import registry.access.Role;
import registry.support.Chrome;
import registry.support.TestServer;

/** Filters and facet counts in a real browser: no script, the keyboard alone, a phone's width, axe-clean. */
@Tag("sqlite-only")
@Tag("slow")
class FindingBrowserTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @BeforeAll
    static void catalogue() {
        String[][] movies = {{"Jeanne Dielman", "1975"}, {"Sans toit ni loi", "1985"}, {"Le Bonheur", "1965"}, {"Cléo de 5 à 7", "1962"},
            {"News from Home", "1976"}, {"Untitled reel", null}};
        for (String[] movie : movies) {
            server.json("POST", "/api/movies", "{\"title\":\"" + movie[0] + "\"" + (movie[1] == null ? "" : ",\"year\":" + movie[1]) + "}");
        }
        String id = server.get("/api/movies?q=Dielman").body().replaceAll("(?s).*?\"id\":(\\d+).*", "$1");
        server.json("POST", "/api/movies/" + id + "/credits", "{\"person_name\":\"Chantal Akerman\",\"role\":\"director\"}");
    }

    private static Chrome viewer() {
        return Chrome.openSignedIn(server.base, server.account(Role.VIEWER), TestServer.PASSWORD);
    }

    @Test
    void a_facet_count_narrows_the_list_by_keyboard_and_its_any_link_widens_it_again() {
        try (Chrome chrome = viewer()) {
            chrome.go("/movies");
            assertThat(Chrome.describe(chrome.all("nav.facet[aria-labelledby='facet-decade'] li")))
                    .isEqualTo("1960s (2) | 1970s (2) | 1980s (1) | unknown (1)");
            chrome.check("movies-facets");

            WebElement seventies = chrome.tabTo(e -> e.getText().startsWith("1970s"), "the 1970s facet link");
            chrome.navigates(() -> seventies.sendKeys(Keys.ENTER));

            assertThat(chrome.path()).contains("decade=1970");
            assertThat(chrome.find("tbody").getText()).contains("Jeanne Dielman", "News from Home").doesNotContain("Le Bonheur", "Untitled reel");
            assertThat(chrome.find("#all-records").getText()).isEqualTo("Matching movies");
            assertThat(chrome.find("[aria-current='true']").getText()).isEqualTo("1970s (2)");
            assertThat(chrome.find(".pager").getText()).contains("of 2 movies");
            // The other facets count within the narrowed list: one of its two movies has a director.
            assertThat(Chrome.describe(chrome.all("nav.facet[aria-labelledby='facet-role'] li"))).isEqualTo("director (1)");
            // Sorting keeps the filter, as the export link does.
            assertThat(chrome.find("a[href*='sort=title']").getAttribute("href")).contains("decade=1970");
            assertThat(chrome.find("p.export a").getAttribute("href")).contains("decade=1970");
            chrome.check("movies-facets-chosen");

            WebElement any = chrome.tabTo(e -> "Any decade".equals(e.getText()), "the Any decade link");
            chrome.navigates(() -> any.sendKeys(Keys.ENTER));
            assertThat(chrome.path()).doesNotContain("decade=");
            assertThat(chrome.find("#all-records").getText()).isEqualTo("All movies");
            assertThat(chrome.find(".pager").getText()).contains("of 6 movies");
        }
    }

    @Test
    void a_year_range_is_typed_and_applied_without_script_and_kept_with_the_search() {
        try (Chrome chrome = viewer()) {
            chrome.go("/movies?q=n");
            WebElement from = chrome.tabTo(e -> "filter-year_from".equals(e.getAttribute("id")), "the Year from box");
            from.sendKeys("1970");
            chrome.navigates(() -> from.sendKeys(Keys.ENTER));

            assertThat(chrome.path()).contains("q=n", "year_from=1970");
            assertThat(chrome.find("tbody").getText()).contains("Jeanne Dielman", "Sans toit ni loi", "News from Home")
                    .doesNotContain("Le Bonheur", "Cléo");
            assertThat(chrome.find("#filter-year_from").getAttribute("value")).isEqualTo("1970");
            chrome.check("movies-year-range");

            // A value the filter cannot use is dropped, never an error.
            chrome.go("/movies?year_from=seventies");
            assertThat(chrome.find(".pager").getText()).contains("of 6 movies");
            assertThat(chrome.find("#filter-year_from").getAttribute("value")).isEmpty();
        }
    }
}
