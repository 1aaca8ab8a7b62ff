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

/** Signing in, managing accounts and one's own tokens in a real browser, the keyboard alone where it matters. */
@Tag("sqlite-only")
@Tag("slow")
class AccountsBrowserTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final String NEW_PASSWORD = "harbour-violet-seventeen-kites";

    private static boolean hasId(WebElement element, String id) {
        return id.equals(element.getAttribute("id"));
    }

    @Test
    void a_page_asked_for_before_signing_in_opens_after_signing_in_with_the_keyboard_alone() {
        String admin = server.account(Role.ADMIN);
        try (Chrome chrome = Chrome.open(server.base)) {
            chrome.go("/accounts");
            assertThat(chrome.path()).isEqualTo("/sign-in?next=%2Faccounts");
            chrome.check("sign-in");

            chrome.tabTo(e -> hasId(e, "username"), "the username field").sendKeys(admin);
            WebElement password = chrome.tabTo(e -> hasId(e, "password"), "the password field");
            chrome.navigates(() -> password.sendKeys(TestServer.PASSWORD, Keys.ENTER));

            assertThat(chrome.path()).isEqualTo("/accounts");
            assertThat(chrome.find("header .who").getText()).contains(admin, "(admin)", "Sign out");
        }
    }

    @Test
    void a_wrong_password_shows_the_one_message_and_keeps_the_username() {
        try (Chrome chrome = Chrome.open(server.base)) {
            chrome.go("/sign-in").type("#username", server.account(Role.ADMIN)).type("#password", "not-the-password-at-all");
            chrome.click("form[action='/sign-in'] button[type=submit]");

            assertThat(chrome.find("[role=alert]").getText()).isEqualTo("Wrong username or password");
            assertThat(chrome.find("#username").getAttribute("value")).isEqualTo("admin");
            assertThat(chrome.find("#password").getAttribute("value")).isEmpty();
            chrome.check("sign-in-wrong");
        }
    }

    @Test
    void an_admin_creates_an_account_who_then_signs_in_with_its_role() {
        try (Chrome chrome = Chrome.openSignedIn(server.base, server.account(Role.ADMIN), TestServer.PASSWORD)) {
            chrome.go("/accounts").check("accounts-list");
            chrome.type("#username", "a b").type("#password", "short");
            chrome.click("form[action='/accounts'] button[type=submit]");
            assertThat(chrome.find("#username-error").getText()).contains("Username may contain only letters, digits");
            assertThat(chrome.find("#password-error").getText()).isEqualTo("Password must be 10 to 200 characters long");
            assertThat(chrome.find("#password").getAttribute("aria-describedby")).isEqualTo("password-error");
            chrome.check("accounts-invalid");

            chrome.type("#username", "browser_editor").type("#password", NEW_PASSWORD);
            new Select(chrome.find("#role")).selectByValue("editor");
            chrome.click("form[action='/accounts'] button[type=submit]");

            assertThat(chrome.path()).matches("/accounts/\\d+");
            assertThat(chrome.find(".flash").getText()).isEqualTo("Created account browser_editor.");
            assertThat(chrome.find("dl.record").getText()).contains("editor", "enabled", "never");
            chrome.check("accounts-show");
            chrome.go("/accounts");
            assertThat(chrome.find("tbody").getText()).contains("browser_editor editor enabled never");
        }
        try (Chrome chrome = Chrome.openSignedIn(server.base, "browser_editor", NEW_PASSWORD)) {
            assertThat(chrome.find("header .who").getText()).contains("browser_editor", "(editor)").doesNotContain("Accounts");
        }
    }

    @Test
    void the_last_admin_cannot_be_demoted_and_the_page_says_why() {
        String admin = server.account(Role.ADMIN);
        long id = server.accounts().find(admin).orElseThrow().id();
        server.accounts().list().stream().filter(a -> a.id() != id && a.access() == Role.ADMIN && a.enabled())
                .forEach(a -> server.accounts().setEnabled(a.id(), false, registry.history.Actor.CLI));
        try (Chrome chrome = Chrome.openSignedIn(server.base, admin, TestServer.PASSWORD)) {
            chrome.go("/accounts/" + id);
            new Select(chrome.find("#role")).selectByValue("viewer");
            chrome.click("form[action='/accounts/" + id + "'] button[type=submit]");

            assertThat(chrome.find(".conflict").getText()).contains("The last enabled admin cannot be demoted", "Nothing was changed.");
            assertThat(chrome.find("dl.record").getText()).contains("admin");
            chrome.check("accounts-last-admin");
        }
    }

    @Test
    void a_token_is_created_copied_and_revoked_with_the_keyboard_alone() {
        try (Chrome chrome = Chrome.openSignedIn(server.base, server.account(Role.EDITOR), TestServer.PASSWORD)) {
            chrome.go("/account").check("account-show");

            chrome.tabTo(e -> hasId(e, "name"), "the token name field").sendKeys("nightly export");
            chrome.tabTo(e -> hasId(e, "access"), "the access select").sendKeys("write");
            WebElement days = chrome.tabTo(e -> hasId(e, "expires_in_days"), "the expiry field");
            chrome.navigates(() -> days.sendKeys("30", Keys.ENTER));

            assertThat(chrome.find("h1").getText()).isEqualTo("Your new token");
            assertThat(chrome.text()).contains("Copy it now: it is shown only this once.", "write access, expires in 30 days");
            String secret = chrome.find("#token").getAttribute("value");
            assertThat(secret).startsWith("reg_");
            chrome.check("account-token");
            assertThat(server.anonymousBrowser().withToken(secret, "GET", "/api/me", null).body()).contains("\"via\":\"token\"");

            WebElement back = chrome.tabTo(e -> "Back to your account".equals(e.getText()), "the link back");
            chrome.navigates(() -> back.sendKeys(Keys.ENTER));
            assertThat(chrome.find("#tokens-heading + p + div table").getText()).contains("nightly export", "write").doesNotContain(secret);
            chrome.check("account-tokens");

            WebElement revoke = chrome.tabTo(e -> "Revoke the token nightly export".equals(e.getAttribute("aria-label")), "the Revoke button");
            chrome.navigates(() -> revoke.sendKeys(Keys.ENTER));
            assertThat(chrome.find(".flash").getText()).isEqualTo("Revoked the token nightly export.");
            assertThat(server.anonymousBrowser().withToken(secret, "GET", "/api/me", null).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void a_wrong_current_password_is_shown_beside_its_field() {
        try (Chrome chrome = Chrome.openSignedIn(server.base, server.account(Role.VIEWER), TestServer.PASSWORD)) {
            chrome.go("/account").type("#current", "not-my-password-at-all").type("#password", NEW_PASSWORD).type("#confirm", NEW_PASSWORD);
            chrome.click("form[action='/account/password'] button[type=submit]");

            assertThat(chrome.find("#current-error").getText()).isEqualTo("The current password is not right");
            assertThat(chrome.find("#current").getAttribute("aria-describedby")).isEqualTo("current-error");
            chrome.check("account-password-wrong");
        }
    }
}
