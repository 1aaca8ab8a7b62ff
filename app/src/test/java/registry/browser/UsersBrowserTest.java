package registry.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import registry.access.Role;
import registry.support.Chrome;
import registry.support.TestServer;

/** The users pages in a real browser, used the way a person uses them. */
@Tag("sqlite-only")
@Tag("slow")
class UsersBrowserTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    /** A browser signed in as the admin through the sign-in page: every page needs an account now. */
    private static Chrome signedIn() {
        return Chrome.openSignedIn(server.base, server.account(Role.ADMIN), TestServer.PASSWORD);
    }

    private static long apiUser(String name) {
        var response = server.json("POST", "/api/users", "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.org\"}");
        assertThat(response.statusCode()).isEqualTo(201);
        return Long.parseLong(response.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1"));
    }

    @Test
    void a_person_creates_a_user_and_sees_the_message_and_the_row() {
        try (Chrome chrome = signedIn()) {
            chrome.go("/").check("home");
            chrome.go("/users").check("users-list");
            chrome.type("#username", "ada_browser").type("#email", "ada.browser@example.org");
            chrome.click("form.record button[type=submit]");

            assertThat(chrome.path()).matches("/users/\\d+");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Created user ada_browser.");
            chrome.check("users-show");
            chrome.go("/users?q=ada_browser");
            assertThat(chrome.find("tbody").getText()).contains("ada_browser", "ada.browser@example.org");
        }
    }

    @Test
    void invalid_input_shows_each_message_beside_its_field_with_the_values_kept() {
        try (Chrome chrome = signedIn()) {
            chrome.go("/users").type("#username", "a b").type("#email", "nowhere");
            chrome.click("form.record button[type=submit]");

            assertThat(chrome.find("#username-error").getText()).contains("Username may contain only letters, digits");
            assertThat(chrome.find("#email-error").getText()).contains("Email must be a valid address");
            assertThat(chrome.find("#username").getAttribute("value")).isEqualTo("a b");
            assertThat(chrome.find("#username").getAttribute("aria-describedby")).isEqualTo("username-error");
            assertThat(chrome.find("#email").getAttribute("value")).isEqualTo("nowhere");
            chrome.check("users-invalid");
        }
    }

    @Test
    void edit_saves_and_a_stale_edit_in_a_second_tab_shows_the_conflict() {
        long id = apiUser("tabbed_user");
        try (Chrome chrome = signedIn()) {
            chrome.go("/users/" + id + "/edit").check("users-edit");
            String first = chrome.driver.getWindowHandle();
            chrome.driver.switchTo().newWindow(WindowType.TAB);
            chrome.go("/users/" + id + "/edit").type("#email", "second.tab@example.org");
            chrome.click("form.record button[type=submit]");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Saved user tabbed_user.");

            chrome.driver.switchTo().window(first);
            chrome.type("#email", "first.tab@example.org");
            chrome.click("form.record button[type=submit]");

            assertThat(chrome.find(".conflict").getText()).contains("Someone else changed this user", "second.tab@example.org");
            assertThat(chrome.find("#email").getAttribute("value")).isEqualTo("first.tab@example.org");
            chrome.check("users-conflict");
            chrome.click("form.record button[type=submit]");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Saved user tabbed_user.");
            assertThat(chrome.text()).contains("first.tab@example.org");
        }
    }

    @Test
    void delete_goes_through_the_confirmation_page() {
        long id = apiUser("doomed_user");
        try (Chrome chrome = signedIn()) {
            chrome.go("/users/" + id);
            chrome.click("a.button.danger");
            assertThat(chrome.path()).isEqualTo("/users/" + id + "/delete");
            assertThat(chrome.find("h1").getText()).isEqualTo("Delete user doomed_user?");
            chrome.check("users-delete");
            chrome.click("button.danger");

            assertThat(chrome.path()).isEqualTo("/users");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Deleted user doomed_user.");
        }
    }

    @Test
    void search_sort_and_page_through_45_users() {
        for (int i = 0; i < 45; i++) {
            apiUser(String.format("crowd_%02d", i));
        }
        try (Chrome chrome = signedIn()) {
            chrome.go("/users").type("#q", "crowd_");
            chrome.click("form.search button");
            assertThat(chrome.text()).contains("1–20 of 45 users", "page 1 of 3");

            chrome.click("th a[href*='sort=username']");
            chrome.click("th a[href*='sort=username']");
            List<WebElement> cells = chrome.all("tbody tr td:nth-child(2)");
            assertThat(cells.get(0).getText()).isEqualTo("crowd_44");
            assertThat(chrome.find("th[aria-sort]").getAttribute("aria-sort")).isEqualTo("descending");

            chrome.click("a[rel=next]");
            assertThat(chrome.text()).contains("21–40 of 45 users", "page 2 of 3");
            assertThat(chrome.all("tbody tr td:nth-child(2)").get(0).getText()).isEqualTo("crowd_24");
            chrome.click("a[rel=next]");
            assertThat(chrome.all("tbody tr")).hasSize(5);
            assertThat(chrome.path()).contains("q=crowd_", "sort=username", "order=desc", "page=3");
            chrome.check("users-paged");
        }
    }

    @Test
    void create_edit_and_delete_with_the_keyboard_alone() {
        try (Chrome chrome = signedIn()) {
            chrome.go("/users");
            chrome.tabTo(e -> "username".equals(e.getAttribute("id")), "the username field").sendKeys("keyboard_user");
            WebElement emailField = chrome.tabTo(e -> "email".equals(e.getAttribute("id")), "the email field");
            chrome.navigates(() -> emailField.sendKeys("keys@example.org", Keys.ENTER));
            assertThat(chrome.find(".flash").getText()).isEqualTo("Created user keyboard_user.");

            WebElement edit = chrome.tabTo(e -> "Edit".equals(e.getText()), "the Edit link");
            chrome.navigates(() -> edit.sendKeys(Keys.ENTER));
            WebElement email = chrome.tabTo(e -> "email".equals(e.getAttribute("id")), "the email field");
            chrome.navigates(() -> email.sendKeys(Keys.chord(Keys.CONTROL, "a"), "typed@example.org", Keys.ENTER));
            assertThat(chrome.find(".flash").getText()).isEqualTo("Saved user keyboard_user.");
            assertThat(chrome.text()).contains("typed@example.org");

            WebElement deleteLink = chrome.tabTo(e -> "Delete".equals(e.getText()), "the Delete link");
            chrome.navigates(() -> deleteLink.sendKeys(Keys.ENTER));
            WebElement deleteButton = chrome.tabTo(e -> "button".equals(e.getTagName()) && "Delete".equals(e.getText()), "the Delete button");
            chrome.navigates(() -> deleteButton.sendKeys(Keys.ENTER));
            assertThat(chrome.find(".flash").getText()).isEqualTo("Deleted user keyboard_user.");
        }
    }

    @Test
    void a_missing_page_is_a_page() {
        try (Chrome chrome = signedIn()) {
            chrome.go("/users/999999");
            assertThat(chrome.find("h1").getText()).isEqualTo("Not Found");
            chrome.check("not-found");
        }
    }
}
