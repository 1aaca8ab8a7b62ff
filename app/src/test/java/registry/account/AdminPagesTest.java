package registry.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/** Managing accounts over HTTP, as an admin (SPEC "Accounts (admin)"); the default browser is the admin. */
class AdminPagesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final String OTHER_PASSWORD = "copper-kettle-drifts-north-9";
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A fresh account (never an admin unless asked), so that no test's changes are another's. */
    private static Account anAccount(Role role) {
        return server.accounts().add("person_" + NAMES.incrementAndGet(), role, TestServer.PASSWORD, registry.history.Actor.CLI);
    }

    private static Browser signedInAs(Account account) {
        return server.anonymousBrowser().signIn(account.username(), TestServer.PASSWORD);
    }

    private static Account now(Account account) {
        return server.accounts().find(account.id()).orElseThrow();
    }

    private static HttpResponse<String> create(String username, String role, String password) {
        return server.submit("/accounts", "/accounts", Map.of("username", username, "role", role, "password", password));
    }

    private static HttpResponse<String> update(Account account, String role, String enabled) {
        return server.submit("/accounts/" + account.id(), "/accounts/" + account.id(), Map.of("role", role, "enabled", enabled));
    }

    private static HttpResponse<String> setPassword(Account account, String password) {
        return server.submit("/accounts/" + account.id(), "/accounts/" + account.id() + "/password", Map.of("password", password));
    }

    private static HttpResponse<String> remove(Account account) {
        return server.submit("/accounts/" + account.id(), "/accounts/" + account.id() + "/delete", Map.of());
    }

    private static void assertRedirect(HttpResponse<String> answer, String location) {
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.headers().firstValue("Location")).hasValue(location);
    }

    private static void assertSignedOut(Browser browser) {
        HttpResponse<String> answer = browser.get("/");
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.headers().firstValue("Location").orElseThrow()).startsWith("/sign-in");
    }

    private static int signInStatus(Account account, String password) {
        return server.anonymousBrowser().submit("/sign-in", "/sign-in", Map.of("username", account.username(), "password", password)).statusCode();
    }

    @Test
    void the_list_shows_each_account_with_role_status_and_last_sign_in_beside_the_create_form() {
        Account signedIn = anAccount(Role.EDITOR);
        signedInAs(signedIn);
        Account disabled = anAccount(Role.VIEWER);
        server.accounts().setEnabled(disabled.id(), false, registry.history.Actor.CLI);

        HttpResponse<String> page = server.get("/accounts");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/accounts\"", "name=\"_csrf\"",
                "<label for=\"username\">", "<label for=\"role\">", "<label for=\"password\">");
        String signedInRow = page.body().replaceAll("(?s).*(<a href=\"/accounts/" + signedIn.id() + "\">.*?</tr>).*", "$1");
        assertThat(signedInRow).contains(signedIn.username(), "<td>editor</td>", "<td>enabled</td>", "<time datetime=").doesNotContain("never");
        String disabledRow = page.body().replaceAll("(?s).*(<a href=\"/accounts/" + disabled.id() + "\">.*?</tr>).*", "$1");
        assertThat(disabledRow).contains(disabled.username(), "<td>viewer</td>", "<td>disabled</td>", "never");
    }

    @Test
    void creating_an_account_leads_to_its_page_with_a_message_and_it_can_sign_in() {
        HttpResponse<String> created = create("new_colleague", "editor", OTHER_PASSWORD);

        assertThat(created.statusCode()).isEqualTo(303);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/accounts/\\d+");
        HttpResponse<String> page = server.get(location);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Created account new_colleague.", "<h1>Account new_colleague</h1>", "<dd>editor</dd>");
        Browser colleague = server.anonymousBrowser().signIn("new_colleague", OTHER_PASSWORD);
        assertThat(colleague.get("/api/me").body()).contains("\"role\":\"editor\"");
    }

    @Test
    void invalid_input_is_422_with_each_message_beside_its_field_and_the_username_kept() {
        HttpResponse<String> answer = create("a b", "viewer", "short");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("value=\"a b\"", "aria-describedby=\"username-error\"", "aria-describedby=\"password-error\"")
                .contains("Username may contain only letters, digits", "Password must be 10 to 200 characters long")
                .doesNotContain("value=\"short\"");
        assertThat(server.accounts().find("a b")).isEmpty();
    }

    @Test
    void a_taken_username_ignoring_case_and_a_password_with_the_username_are_422() {
        Account taken = anAccount(Role.VIEWER);

        HttpResponse<String> duplicate = create(taken.username().toUpperCase(java.util.Locale.ROOT), "viewer", OTHER_PASSWORD);
        HttpResponse<String> containsName = create("plainname", "viewer", "plainname-and-more-words");

        assertThat(duplicate.statusCode()).isEqualTo(422);
        assertThat(duplicate.body()).contains("<p class=\"error\" id=\"username-error\">An account named");
        assertThat(containsName.statusCode()).isEqualTo(422);
        assertThat(containsName.body()).contains("Password must not contain the username");
    }

    @Test
    void an_invalid_role_is_422_beside_the_role_field_and_changes_nothing() {
        Account account = anAccount(Role.VIEWER);

        HttpResponse<String> onCreate = create("would_be_root", "root", OTHER_PASSWORD);
        HttpResponse<String> onUpdate = update(account, "superuser", "true");

        assertThat(onCreate.statusCode()).isEqualTo(422);
        assertThat(onCreate.body()).contains("aria-describedby=\"role-error\"", "Role must be one of viewer, editor, admin");
        assertThat(server.accounts().find("would_be_root")).isEmpty();
        assertThat(onUpdate.statusCode()).isEqualTo(422);
        assertThat(onUpdate.body()).contains("<p class=\"error\" id=\"role-error\">Role must be one of viewer, editor, admin</p>");
        assertThat(now(account).role()).isEqualTo("viewer");
    }

    @Test
    void an_account_page_has_the_role_and_status_form_the_password_form_and_a_warned_remove_button() {
        Account account = anAccount(Role.EDITOR);

        HttpResponse<String> page = server.get("/accounts/" + account.id());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/accounts/" + account.id() + "\"",
                        "<option value=\"editor\" selected>", "name=\"enabled\" value=\"true\" checked",
                        "<form method=\"post\" action=\"/accounts/" + account.id() + "/password\"",
                        "<form method=\"post\" action=\"/accounts/" + account.id() + "/delete\"",
                        "This cannot be undone.", "Remove account " + account.username());
    }

    @Test
    void an_unknown_account_is_404() {
        assertThat(server.get("/accounts/99999999").statusCode()).isEqualTo(404);
        assertThat(server.get("/accounts/abc").statusCode()).isEqualTo(404);
        assertThat(server.submit("/accounts", "/accounts/99999999", Map.of("role", "viewer", "enabled", "true")).statusCode()).isEqualTo(404);
        assertThat(server.submit("/accounts", "/accounts/99999999/password", Map.of("password", OTHER_PASSWORD)).statusCode()).isEqualTo(404);
        assertThat(server.submit("/accounts", "/accounts/99999999/delete", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void a_viewer_or_an_editor_gets_403_and_nobody_signed_in_goes_to_the_sign_in_form() {
        for (Role role : new Role[] {Role.VIEWER, Role.EDITOR}) {
            Browser browser = server.signedIn(role);
            HttpResponse<String> list = browser.get("/accounts");
            assertThat(list.statusCode()).isEqualTo(403);
            assertThat(list.body()).contains("may not do this");
            assertThat(browser.submit("/", "/accounts", Map.of("username", "sneaky_" + role, "role", "admin", "password", OTHER_PASSWORD))
                    .statusCode()).isEqualTo(403);
            assertThat(server.accounts().find("sneaky_" + role)).isEmpty();
        }
        HttpResponse<String> anonymous = server.anonymousBrowser().get("/accounts");
        assertRedirect(anonymous, "/sign-in?next=%2Faccounts");
    }

    @Test
    void changing_role_and_status_is_303_back_with_a_message() {
        Account account = anAccount(Role.VIEWER);

        HttpResponse<String> answer = update(account, "editor", "true");

        assertRedirect(answer, "/accounts/" + account.id());
        assertThat(server.get("/accounts/" + account.id()).body()).contains("Saved account " + account.username() + ".", "<dd>editor</dd>");
        assertThat(now(account).access()).isEqualTo(Role.EDITOR);
    }

    @Test
    void a_missing_enabled_value_is_422_and_changes_nothing() {
        Account account = anAccount(Role.VIEWER);

        HttpResponse<String> answer = server.submit("/accounts/" + account.id(), "/accounts/" + account.id(), Map.of("role", "editor"));

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("<p class=\"error\" id=\"enabled-error\">");
        assertThat(now(account).role()).isEqualTo("viewer");
    }

    @Test
    void the_last_enabled_admin_cannot_be_demoted_disabled_or_removed_409_and_nothing_changes() {
        Account admin = server.accounts().find(server.account(Role.ADMIN)).orElseThrow();
        // Other tests' admins (and sign-in helpers') are disabled here, so this admin is the last one.
        server.accounts().list().stream().filter(a -> a.id() != admin.id() && a.access() == Role.ADMIN && a.enabled())
                .forEach(a -> server.accounts().setEnabled(a.id(), false, registry.history.Actor.CLI));

        HttpResponse<String> demoted = update(admin, "editor", "true");
        HttpResponse<String> disabled = update(admin, "admin", "false");
        HttpResponse<String> removed = remove(admin);

        assertThat(demoted.statusCode()).isEqualTo(409);
        assertThat(demoted.body()).contains("The last enabled admin cannot be demoted", "Nothing was changed.", "<dd>admin</dd>");
        assertThat(disabled.statusCode()).isEqualTo(409);
        assertThat(disabled.body()).contains("The last enabled admin cannot be disabled");
        assertThat(removed.statusCode()).isEqualTo(409);
        assertThat(removed.body()).contains("The last enabled admin cannot be removed");
        Account after = now(admin);
        assertThat(after.access()).isEqualTo(Role.ADMIN);
        assertThat(after.enabled()).isTrue();
        assertThat(after.version()).isEqualTo(admin.version());
        assertThat(server.get("/accounts").statusCode()).isEqualTo(200);

        Account second = anAccount(Role.ADMIN);
        assertRedirect(update(second, "viewer", "true"), "/accounts/" + second.id());
        assertThat(now(second).access()).isEqualTo(Role.VIEWER);
    }

    @Test
    void disabling_an_account_ends_its_sessions_and_tokens_at_once_and_enabling_lets_it_back() {
        Account account = anAccount(Role.EDITOR);
        Browser browser = signedInAs(account);
        String token = server.token(Role.EDITOR, "read");
        String own = server.accounts().createToken(account.id(), "own", "read", null, registry.history.Actor.CLI).secret();
        assertThat(browser.get("/").statusCode()).isEqualTo(200);

        assertRedirect(update(account, "editor", "false"), "/accounts/" + account.id());

        assertSignedOut(browser);
        assertThat(signInStatus(account, TestServer.PASSWORD)).isEqualTo(422);
        assertThat(server.anonymousBrowser().withToken(own, "GET", "/api/me", null).statusCode()).isEqualTo(401);
        assertThat(server.anonymousBrowser().withToken(token, "GET", "/api/me", null).statusCode()).isEqualTo(200); // another account's

        assertRedirect(update(account, "editor", "true"), "/accounts/" + account.id());
        signedInAs(account);
        assertThat(server.anonymousBrowser().withToken(own, "GET", "/api/me", null).statusCode()).isEqualTo(200);
    }

    @Test
    void lowering_a_role_narrows_its_tokens_and_sessions_at_once() {
        Account account = anAccount(Role.EDITOR);
        Browser browser = signedInAs(account);
        String write = server.accounts().createToken(account.id(), "deploy", "write", null, registry.history.Actor.CLI).secret();
        String before = "{\"username\":\"before_demotion\",\"email\":\"before.demotion@example.org\"}";
        assertThat(server.anonymousBrowser().withToken(write, "POST", "/api/users", before).statusCode()).isEqualTo(201);

        assertRedirect(update(account, "viewer", "true"), "/accounts/" + account.id());

        String after = "{\"username\":\"after_demotion\",\"email\":\"after.demotion@example.org\"}";
        assertThat(server.anonymousBrowser().withToken(write, "POST", "/api/users", after).statusCode()).isEqualTo(403);
        assertThat(server.anonymousBrowser().withToken(write, "GET", "/api/users", null).statusCode()).isEqualTo(200);
        assertThat(browser.submit("/users", "/users", Map.of("username", "by_session", "email", "by.session@example.org")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void setting_a_password_ends_the_accounts_sessions_and_only_the_new_one_works() {
        Account account = anAccount(Role.VIEWER);
        Browser browser = signedInAs(account);

        assertRedirect(setPassword(account, OTHER_PASSWORD), "/accounts/" + account.id());

        assertThat(server.get("/accounts/" + account.id()).body()).contains("Set a new password for " + account.username() + ".");
        assertSignedOut(browser);
        assertThat(signInStatus(account, TestServer.PASSWORD)).isEqualTo(422);
        server.anonymousBrowser().signIn(account.username(), OTHER_PASSWORD);
    }

    @Test
    void a_weak_new_password_is_422_beside_its_field_and_the_sessions_stay() {
        Account account = anAccount(Role.VIEWER);
        Browser browser = signedInAs(account);

        HttpResponse<String> answer = setPassword(account, "qwertyuiop");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("aria-describedby=\"password-error\"", "Password is too common").doesNotContain("qwertyuiop");
        assertThat(browser.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void an_admin_setting_their_own_password_here_keeps_their_session() {
        Account admin = anAccount(Role.ADMIN);
        Browser browser = signedInAs(admin);
        Browser elsewhere = signedInAs(admin);

        HttpResponse<String> answer = browser.submit("/accounts/" + admin.id(), "/accounts/" + admin.id() + "/password",
                Map.of("password", OTHER_PASSWORD));

        assertRedirect(answer, "/accounts/" + admin.id());
        assertThat(browser.get("/accounts").statusCode()).isEqualTo(200);
        assertSignedOut(elsewhere);
    }

    @Test
    void removing_an_account_goes_to_the_list_and_ends_its_sessions_and_tokens() {
        Account account = anAccount(Role.EDITOR);
        Browser browser = signedInAs(account);
        String token = server.accounts().createToken(account.id(), "ci", "write", null, registry.history.Actor.CLI).secret();

        HttpResponse<String> answer = remove(account);

        assertRedirect(answer, "/accounts");
        HttpResponse<String> list = server.get("/accounts");
        assertThat(list.body()).contains("Removed account " + account.username() + ".").doesNotContain("/accounts/" + account.id() + "\"");
        assertThat(server.get("/accounts/" + account.id()).statusCode()).isEqualTo(404);
        assertSignedOut(browser);
        assertThat(server.anonymousBrowser().withToken(token, "GET", "/api/me", null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_username_typed_back_into_the_form_is_escaped() {
        HttpResponse<String> answer = create("<b>x</b>", "viewer", OTHER_PASSWORD);

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("value=\"&lt;b&gt;x&lt;/b&gt;\"").doesNotContain("<b>x</b>");
    }
}
