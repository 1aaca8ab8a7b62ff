package registry.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import registry.access.Role;
import registry.support.Chrome;
import registry.support.TestServer;

/** People, movies and credits in a real browser. */
@Tag("sqlite-only")
@Tag("slow")
class CatalogueBrowserTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    /** A browser signed in as the admin through the sign-in page: every page needs an account now. */
    private static Chrome signedIn() {
        return Chrome.openSignedIn(server.base, server.account(Role.ADMIN), TestServer.PASSWORD);
    }

    @Test
    void a_person_and_a_movie_are_created_then_linked_by_a_credit_and_unlinked() {
        try (Chrome chrome = signedIn()) {
            chrome.go("/people").check("people-list");
            chrome.type("#name", "Agnès Varda").type("#born", "1928").click("form.record button[type=submit]");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Created person Agnès Varda.");
            String person = chrome.path();

            chrome.go("/movies").check("movies-list");
            chrome.type("#title", "Cléo from 5 to 7").type("#year", "1962").click("form.record button[type=submit]");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Created movie Cléo from 5 to 7.");
            String movie = chrome.path();

            new Select(chrome.find("#person_id")).selectByVisibleText("Agnès Varda (1928)");
            new Select(chrome.find("#role")).selectByValue("director");
            chrome.click("form[action$='/credits'] button[type=submit]");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Added Agnès Varda as director.");
            assertThat(chrome.find("#credits + div table").getText()).contains("Agnès Varda", "director");
            chrome.check("movies-show");

            new Select(chrome.find("#person_id")).selectByVisibleText("Agnès Varda (1928)");
            new Select(chrome.find("#role")).selectByValue("director");
            chrome.click("form[action$='/credits'] button[type=submit]");
            assertThat(chrome.find("#role-error").getText()).isEqualTo("This person already has this role on this movie");
            chrome.check("movies-credit-duplicate");

            chrome.go(person);
            assertThat(chrome.find("#filmography").findElement(org.openqa.selenium.By.xpath("..")).getText())
                    .contains("Director", "Cléo from 5 to 7 (1962)");
            chrome.check("people-show");

            chrome.go(movie).click("a[aria-label='Remove Agnès Varda as director']");
            assertThat(chrome.find("h1").getText()).isEqualTo("Remove Agnès Varda as director of Cléo from 5 to 7?");
            chrome.check("movies-credit-delete");
            chrome.click("button.danger");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Removed the director credit.");
            assertThat(chrome.text()).contains("No credits yet.");
        }
    }

    @Test
    void a_credit_names_a_new_person_who_is_created_with_it_by_mouse_or_by_keyboard_alone() {
        try (Chrome chrome = signedIn()) {
            chrome.go("/movies").type("#title", "Alien").type("#year", "1979").click("form.record button[type=submit]");
            String movie = chrome.path();

            chrome.type("#person_name", "Ridley Scott");
            new Select(chrome.find("#role")).selectByValue("director");
            chrome.click("form[action$='/credits'] button[type=submit]");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Added Ridley Scott (new person) as director.");
            assertThat(chrome.find("#credits + div table").getText()).contains("Ridley Scott", "director");
            chrome.check("movies-credit-new-person");

            chrome.tabTo(e -> "person_name".equals(e.getAttribute("id")), "the new person's name field").sendKeys("Dan O'Bannon");
            chrome.tabTo(e -> "role".equals(e.getAttribute("id")), "the role select").sendKeys("writer");
            WebElement add = chrome.tabTo(e -> "Add credit".equals(e.getText()), "the Add credit button");
            chrome.navigates(() -> add.sendKeys(Keys.ENTER));
            assertThat(chrome.path()).isEqualTo(movie);
            assertThat(chrome.find(".flash").getText()).isEqualTo("Added Dan O'Bannon (new person) as writer.");
            assertThat(chrome.find("#credits + div table").getText()).contains("Dan O'Bannon", "writer");

            chrome.type("#person_name", "N".repeat(81));
            new Select(chrome.find("#role")).selectByValue("actor");
            chrome.click("form[action$='/credits'] button[type=submit]");
            assertThat(chrome.find("#person_name-error").getText()).isEqualTo("Name must be at most 80 characters long");
            assertThat(chrome.find("#person_name").getAttribute("aria-invalid")).isEqualTo("true");
            chrome.check("movies-credit-new-person-invalid");

            chrome.go("/people?q=bannon");
            assertThat(chrome.text()).contains("Dan O'Bannon");
        }
    }

    @Test
    void deleting_a_movie_says_how_many_credits_went_with_it() {
        try (Chrome chrome = signedIn()) {
            chrome.go("/people").type("#name", "Jean-Luc Godard").click("form.record button[type=submit]");
            chrome.go("/movies").type("#title", "Breathless").type("#year", "1960").click("form.record button[type=submit]");
            new Select(chrome.find("#person_id")).selectByVisibleText("Jean-Luc Godard");
            new Select(chrome.find("#role")).selectByValue("writer");
            chrome.click("form[action$='/credits'] button[type=submit]");

            String movie = chrome.path();
            chrome.click("a.button.danger").check("movies-delete");
            chrome.click("button.danger");

            assertThat(chrome.find(".flash").getText()).isEqualTo("Deleted movie Breathless and its 1 credit.");
            chrome.go(movie + "/history").check("movies-history");
            assertThat(chrome.text()).contains("History of movie Breathless", "deleted", "created", "credits: 1 removed with it");
            chrome.go("/changes?kind=movies").check("changes");
            assertThat(chrome.text()).contains("Breathless");
        }
    }

    @Test
    void an_invalid_movie_shows_its_messages_and_a_long_list_pages() {
        try (Chrome chrome = signedIn()) {
            chrome.go("/movies").type("#title", " ").type("#year", "1700").click("form.record button[type=submit]");
            assertThat(chrome.find("#title-error").getText()).isEqualTo("Title is required");
            assertThat(chrome.find("#year-error").getText()).startsWith("Year must be a year from 1888 to");
            assertThat(chrome.find("#year").getAttribute("value")).isEqualTo("1700");
            chrome.check("movies-invalid");
        }
    }
}
