package registry.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/** One's own account over HTTP: the password, the sessions and the API tokens (SPEC "Own account"). */
class AccountPagesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final String NEW_PASSWORD = "lantern-quietly-orbits-77";
    private static final Pattern SESSION = Pattern.compile("action=\"/account/sessions/(\\d+)/delete\"");
    private static final Pattern THIS_SESSION = Pattern.compile("<tr class=\"current\">.*?action=\"/account/sessions/(\\d+)/delete\"", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile("value=\"(reg_[A-Za-z0-9_-]+)\"");
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A fresh account of its own for each test, so that no test's sessions or tokens are another's. */
    private static String anAccount(Role role) {
        String name = "member_" + NAMES.incrementAndGet();
        server.accounts().add(name, role, TestServer.PASSWORD, registry.history.Actor.CLI);
        return name;
    }

    private static Browser signedInAs(String name) {
        return server.anonymousBrowser().signIn(name, TestServer.PASSWORD);
    }

    private static HttpResponse<String> changePassword(Browser browser, String current, String password, String confirm) {
        return browser.submit("/account", "/account/password", Map.of("current", current, "password", password, "confirm", confirm));
    }

    private static HttpResponse<String> newToken(Browser browser, String name, String access, String days) {
        return browser.submit("/account", "/account/tokens", Map.of("name", name, "access", access, "expires_in_days", days));
    }

    private static String secretIn(HttpResponse<String> page) {
        Matcher m = TOKEN.matcher(page.body());
        assertThat(m.find()).as("a token in the page").isTrue();
        return m.group(1);
    }

    private static long thisSession(String page) {
        Matcher m = THIS_SESSION.matcher(page);
        assertThat(m.find()).as("this session is marked").isTrue();
        return Long.parseLong(m.group(1));
    }

    private static List<Long> sessions(String page) {
        List<Long> ids = new ArrayList<>();
        Matcher m = SESSION.matcher(page);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }

    private static long tokenId(Browser browser, String name) {
        Matcher m = Pattern.compile("<td class=\"wrap\">" + Pattern.quote(name) + "</td>.*?action=\"/account/tokens/(\\d+)/delete\"", Pattern.DOTALL)
                .matcher(browser.get("/account").body());
        assertThat(m.find()).as("token " + name + " is listed").isTrue();
        return Long.parseLong(m.group(1));
    }

    private static void assertSignedOut(Browser browser) {
        HttpResponse<String> answer = browser.get("/account");
        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.headers().firstValue("Location").orElseThrow()).isEqualTo("/sign-in?next=%2Faccount");
    }

    @Test
    void every_role_sees_its_account_page_with_its_forms_sessions_and_tokens() {
        for (Role role : Role.values()) {
            String name = anAccount(role);
            HttpResponse<String> page = signedInAs(name).get("/account");

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>Your account</h1>", "<dd>" + name + "</dd>", "<dd>" + role.id() + "</dd>")
                    .contains("<form method=\"post\" action=\"/account/password\"", "<label for=\"current\">", "<label for=\"confirm\">")
                    .contains("<form method=\"post\" action=\"/account/tokens\"", "<label for=\"name\">", "<label for=\"access\">",
                            "<label for=\"expires_in_days\">")
                    .contains("this session", "No tokens yet.", "name=\"_csrf\"");
        }
    }

    @Test
    void without_signing_in_the_account_page_leads_to_the_sign_in_form() {
        assertSignedOut(server.anonymousBrowser());
    }

    @Test
    void changing_the_password_ends_the_other_sessions_but_keeps_this_one() {
        String name = anAccount(Role.EDITOR);
        Browser here = signedInAs(name);
        Browser elsewhere = signedInAs(name);
        assertThat(elsewhere.get("/account").statusCode()).isEqualTo(200);

        HttpResponse<String> changed = changePassword(here, TestServer.PASSWORD, NEW_PASSWORD, NEW_PASSWORD);

        assertThat(changed.statusCode()).isEqualTo(303);
        assertThat(changed.headers().firstValue("Location")).hasValue("/account");
        HttpResponse<String> page = here.get("/account");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Your password is changed. Every other session of your account has ended.");
        assertThat(sessions(page.body())).containsExactly(thisSession(page.body()));
        assertSignedOut(elsewhere);
        assertThat(server.anonymousBrowser().submit("/sign-in", "/sign-in", Map.of("username", name, "password", TestServer.PASSWORD))
                .statusCode()).isEqualTo(422);
        server.anonymousBrowser().signIn(name, NEW_PASSWORD);
    }

    @Test
    void a_wrong_current_password_is_422_beside_its_field_and_changes_nothing() {
        String name = anAccount(Role.VIEWER);
        Browser browser = signedInAs(name);
        Browser other = signedInAs(name);

        HttpResponse<String> answer = changePassword(browser, "not-my-password-at-all", NEW_PASSWORD, NEW_PASSWORD);

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("aria-describedby=\"current-error\"",
                "<p class=\"error\" id=\"current-error\">The current password is not right</p>")
                .doesNotContain("not-my-password-at-all", NEW_PASSWORD);
        assertThat(other.get("/account").statusCode()).isEqualTo(200);
        server.anonymousBrowser().signIn(name, TestServer.PASSWORD);
    }

    @Test
    void new_passwords_that_differ_or_break_the_rules_are_422_beside_their_field() {
        Browser browser = signedInAs(anAccount(Role.VIEWER));

        HttpResponse<String> differ = changePassword(browser, TestServer.PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x");
        HttpResponse<String> tooShort = changePassword(browser, TestServer.PASSWORD, "short", "short");
        HttpResponse<String> common = changePassword(browser, TestServer.PASSWORD, "password123", "password123");

        assertThat(differ.statusCode()).isEqualTo(422);
        assertThat(differ.body()).contains("<p class=\"error\" id=\"confirm-error\">The two new passwords differ</p>");
        assertThat(tooShort.statusCode()).isEqualTo(422);
        assertThat(tooShort.body()).contains("aria-describedby=\"password-error\"", "Password must be 10 to 200 characters long");
        assertThat(common.statusCode()).isEqualTo(422);
        assertThat(common.body()).contains("Password is too common or too easy to guess");
    }

    @Test
    void ending_another_session_signs_that_browser_out_and_keeps_this_one() {
        String name = anAccount(Role.VIEWER);
        Browser here = signedInAs(name);
        Browser elsewhere = signedInAs(name);
        String page = here.get("/account").body();
        long mine = thisSession(page);
        List<Long> all = sessions(page);
        assertThat(all).hasSize(2).contains(mine);
        long theirs = all.stream().filter(id -> id != mine).findFirst().orElseThrow();

        HttpResponse<String> ended = here.submit("/account", "/account/sessions/" + theirs + "/delete", Map.of());

        assertThat(ended.statusCode()).isEqualTo(303);
        assertThat(ended.headers().firstValue("Location")).hasValue("/account");
        assertSignedOut(elsewhere);
        HttpResponse<String> after = here.get("/account");
        assertThat(after.body()).contains("Ended the session.");
        assertThat(sessions(after.body())).containsExactly(mine);
    }

    @Test
    void ending_this_session_signs_out() {
        Browser browser = signedInAs(anAccount(Role.VIEWER));
        long mine = thisSession(browser.get("/account").body());

        HttpResponse<String> ended = browser.submit("/account", "/account/sessions/" + mine + "/delete", Map.of());

        assertThat(ended.statusCode()).isEqualTo(303);
        assertThat(ended.headers().firstValue("Location")).hasValue("/sign-in");
        assertSignedOut(browser);
    }

    @Test
    void a_session_of_another_account_or_none_is_404_and_stays() {
        Browser mallory = signedInAs(anAccount(Role.ADMIN));
        Browser victim = signedInAs(anAccount(Role.VIEWER));
        long theirs = thisSession(victim.get("/account").body());

        assertThat(mallory.submit("/account", "/account/sessions/" + theirs + "/delete", Map.of()).statusCode()).isEqualTo(404);
        assertThat(mallory.submit("/account", "/account/sessions/99999999/delete", Map.of()).statusCode()).isEqualTo(404);
        assertThat(mallory.submit("/account", "/account/sessions/abc/delete", Map.of()).statusCode()).isEqualTo(404);
        assertThat(victim.get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void a_new_token_is_shown_once_works_as_a_bearer_token_and_stops_when_revoked() {
        String name = anAccount(Role.VIEWER);
        Browser browser = signedInAs(name);

        HttpResponse<String> created = newToken(browser, "laptop script", "read", "");

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).contains("Copy it now: it is shown only this once.", "laptop script");
        String secret = secretIn(created);
        assertThat(secret).startsWith("reg_").hasSizeGreaterThanOrEqualTo(4 + 22);
        HttpResponse<String> page = browser.get("/account");
        assertThat(page.body()).contains("laptop script", "<td>read</td>").doesNotContain(secret);

        HttpResponse<String> me = server.anonymousBrowser().withToken(secret, "GET", "/api/me", null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"username\":\"" + name + "\"", "\"via\":\"token\"");

        HttpResponse<String> revoked = browser.submit("/account", "/account/tokens/" + tokenId(browser, "laptop script") + "/delete", Map.of());
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(revoked.headers().firstValue("Location")).hasValue("/account");
        assertThat(browser.get("/account").body()).contains("Revoked the token laptop script.", "No tokens yet.");
        assertThat(server.anonymousBrowser().withToken(secret, "GET", "/api/me", null).statusCode()).isEqualTo(401);
    }

    @Test
    void a_read_token_may_only_read_and_a_write_token_writes_as_its_role_allows() {
        Browser editor = signedInAs(anAccount(Role.EDITOR));
        String read = secretIn(newToken(editor, "reader", "read", ""));
        String write = secretIn(newToken(editor, "writer", "write", "30"));
        String body = "{\"username\":\"token_made\",\"email\":\"token.made@example.org\"}";

        assertThat(server.anonymousBrowser().withToken(read, "GET", "/api/users", null).statusCode()).isEqualTo(200);
        assertThat(server.anonymousBrowser().withToken(read, "POST", "/api/users", body).statusCode()).isEqualTo(403);
        assertThat(server.anonymousBrowser().withToken(write, "POST", "/api/users", body).statusCode()).isEqualTo(201);
        assertThat(editor.get("/account").body()).contains("<td>write</td>").doesNotContain(read, write);
    }

    @Test
    void a_token_that_expires_says_when() {
        Browser browser = signedInAs(anAccount(Role.VIEWER));

        newToken(browser, "monthly", "read", "30");

        String row = browser.get("/account").body().replaceAll("(?s).*<td class=\"wrap\">monthly</td>(.*?)</tr>.*", "$1");
        assertThat(row).contains("<td>read</td>").containsOnlyOnce("never"); // used never, but expires
    }

    @Test
    void invalid_token_fields_are_422_beside_each_field_with_the_values_kept() {
        Browser browser = signedInAs(anAccount(Role.VIEWER));

        HttpResponse<String> blank = newToken(browser, "  ", "admin", "0");
        HttpResponse<String> notANumber = newToken(browser, "ok name", "write", "soon");
        HttpResponse<String> tooLong = newToken(browser, "ok name", "write", "366");

        assertThat(blank.statusCode()).isEqualTo(422);
        assertThat(blank.body()).contains("<p class=\"error\" id=\"name-error\">Name is required</p>",
                "<p class=\"error\" id=\"access-error\">Access must be read or write</p>",
                "<p class=\"error\" id=\"expires_in_days-error\">Expiry must be 1 to 365 days</p>",
                "aria-describedby=\"expires_in_days-error\"");
        assertThat(notANumber.statusCode()).isEqualTo(422);
        assertThat(notANumber.body()).contains("value=\"ok name\"", "value=\"soon\"", "Expiry must be 1 to 365 days")
                .doesNotContain("name-error");
        assertThat(tooLong.statusCode()).isEqualTo(422);
        assertThat(browser.get("/account").body()).contains("No tokens yet.");
    }

    @Test
    void a_token_of_another_account_or_none_is_404_and_keeps_working() {
        Browser owner = signedInAs(anAccount(Role.VIEWER));
        String secret = secretIn(newToken(owner, "mine", "read", ""));
        long id = tokenId(owner, "mine");
        Browser other = signedInAs(anAccount(Role.ADMIN));

        assertThat(other.submit("/account", "/account/tokens/" + id + "/delete", Map.of()).statusCode()).isEqualTo(404);
        assertThat(other.submit("/account", "/account/tokens/0/delete", Map.of()).statusCode()).isEqualTo(404);
        assertThat(server.anonymousBrowser().withToken(secret, "GET", "/api/me", null).statusCode()).isEqualTo(200);
    }

    @Test
    void account_forms_without_the_csrf_token_are_refused() {
        Browser browser = signedInAs(anAccount(Role.VIEWER));

        HttpResponse<String> answer = browser.postForm("/account/tokens", Map.of("name", "forged", "access", "write"));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(browser.get("/account").body()).doesNotContain("forged");
    }

    @Test
    void names_and_agents_are_escaped() {
        Browser browser = signedInAs(anAccount(Role.VIEWER));

        newToken(browser, "<script>alert(1)</script>", "read", "");

        assertThat(browser.get("/account").body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
    }
}
