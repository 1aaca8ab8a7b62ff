package registry.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import registry.access.Role;
import registry.support.Chrome;
import registry.support.TestServer;

/** Importing movies from a CSV file in a real browser: the keyboard alone for a good file, the problems of a bad one. */
@Tag("sqlite-only")
@Tag("slow")
class ImportBrowserTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @TempDir
    Path dir;

    private Path csv(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static Chrome editor() {
        return Chrome.openSignedIn(server.base, server.account(Role.EDITOR), TestServer.PASSWORD);
    }

    @Test
    void a_file_of_movies_is_checked_then_imported_with_the_keyboard_alone() throws IOException {
        server.json("POST", "/api/movies", "{\"title\":\"Playtime\",\"year\":1967}");
        Path file = csv("movies.csv", "title,year\nJeanne Dielman,1975\nPlaytime,1967\nLa Pointe Courte,1955\n");
        try (Chrome chrome = editor()) {
            chrome.go("/movies");
            WebElement link = chrome.tabTo(e -> "Import movies from CSV".equals(e.getText()), "the import link");
            chrome.navigates(() -> link.sendKeys(Keys.ENTER));
            assertThat(chrome.path()).isEqualTo("/movies/import");
            assertThat(chrome.find("h1").getText()).isEqualTo("Import movies from CSV");
            chrome.check("import-form");

            chrome.tabTo(e -> "file".equals(e.getAttribute("id")), "the file field").sendKeys(file.toString());
            WebElement check = chrome.tabTo(e -> "Check the file".equals(e.getText()), "the Check the file button");
            chrome.navigates(() -> check.sendKeys(Keys.ENTER));

            assertThat(chrome.find("h1").getText()).isEqualTo("Import movies.csv");
            assertThat(Chrome.describe(chrome.all(".import-counts li"))).isEqualTo("2 created | 0 updated | 1 unchanged");
            assertThat(chrome.all("ul.problems")).isEmpty();
            assertThat(chrome.text()).contains("Nothing has changed yet.");
            assertThat(server.get("/api/movies?q=dielman").body()).contains("\"total\":0");
            chrome.check("import-preview");

            WebElement apply = chrome.tabTo(e -> "button".equals(e.getTagName()) && "Import".equals(e.getText()), "the Import button");
            chrome.navigates(() -> apply.sendKeys(Keys.ENTER));

            assertThat(chrome.path()).isEqualTo("/movies");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Imported 3 rows: 2 created, 0 updated, 1 unchanged.");
            assertThat(chrome.find("tbody").getText()).contains("Jeanne Dielman", "1975", "La Pointe Courte", "1955");
            chrome.check("import-done");
        }
    }

    @Test
    void a_file_with_an_invalid_row_lists_its_problems_offers_the_rejected_rows_and_no_import_button() throws IOException {
        Path file = csv("movies-from-the-festival-archive-with-rejected-rows-2026.csv",
                "title,year\nSans toit ni loi,1985\nLe Bonheur,1700\n,1962\nSans Toit ni Loi,1985\n");
        try (Chrome chrome = editor()) {
            chrome.go("/movies").click("a[href='/movies/import']");
            chrome.find("#file").sendKeys(file.toString());
            chrome.click("form[action='/movies/import'] button[type=submit]");

            assertThat(chrome.find("h1").getText()).contains("movies-from-the-festival-archive");
            assertThat(Chrome.describe(chrome.all(".import-counts li"))).isEqualTo("1 created | 0 updated | 0 unchanged | 3 invalid");
            assertThat(chrome.all("ul.problems li")).extracting(WebElement::getText).satisfiesExactly(
                    year -> assertThat(year).startsWith("line 3: year: Year must be a year from 1888 to "),
                    title -> assertThat(title).isEqualTo("line 4: title: Title is required"),
                    same -> assertThat(same).isEqualTo("line 5: same as line 2"));
            assertThat(chrome.all("button")).extracting(WebElement::getText).doesNotContain("Import");
            WebElement rejected = chrome.find("a[href$='/rejected.csv']");
            assertThat(rejected.getText()).isEqualTo("Download the 3 invalid rows as CSV");
            assertThat(server.get("/api/movies?q=bonheur").body()).contains("\"total\":0");
            chrome.check("import-invalid");
        }
    }

    @Test
    void a_credit_naming_an_unknown_person_is_reported_and_its_long_name_wraps_on_a_phone() throws IOException {
        server.json("POST", "/api/movies", "{\"title\":\"Vagabond\",\"year\":1985}");
        String name = "Sandrine_Bonnaire_".repeat(6) + "as_one_unbroken_word";
        Path file = csv("credits.csv", "movie_title,movie_year,person_name,role\nVagabond,1985," + name + ",actor\n");
        try (Chrome chrome = editor()) {
            chrome.go("/movies").click("a[href='/credits/import']");
            assertThat(chrome.find("h1").getText()).isEqualTo("Import credits from CSV");
            assertThat(chrome.find(".crumbs").getText()).isEqualTo("Movies \u203a Import credits");
            chrome.check("import-credits-form");
            chrome.find("#file").sendKeys(file.toString());
            chrome.click("form[action='/credits/import'] button[type=submit]");

            assertThat(Chrome.describe(chrome.all(".import-counts li"))).isEqualTo("0 created | 0 updated | 0 unchanged | 1 invalid");
            assertThat(chrome.find("ul.problems").getText()).isEqualTo("line 2: person_name: No person named \"" + name + "\"");
            assertThat(chrome.all("button")).extracting(WebElement::getText).doesNotContain("Import");
            chrome.check("import-credits-invalid");
        }
    }
}
