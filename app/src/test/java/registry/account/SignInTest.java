package registry.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import registry.access.Role;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/** SPEC "Signing in", "Sessions" and "Throttling", through the real form. */
class SignInTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    /** Each test starts with no failed sign-ins on record: they would otherwise add up to the address limit. */
    @BeforeEach
    void forgetFailures() {
        server.db.database.write(h -> h.createUpdate("DELETE FROM sign_in_failures").execute());
    }

    private static String account(String name) {
        if (server.accounts().find(name).isEmpty()) {
            server.accounts().add(name, Role.VIEWER, TestServer.PASSWORD, registry.history.Actor.CLI);
        }
        return name;
    }

    /** POSTs the sign-in form from a browser that has not signed in. */
    private static HttpResponse<String> signIn(Browser browser, String username, String password, String next) {
        String csrf = TestServer.csrfToken(browser.get("/sign-in").body());
        return browser.postForm("/sign-in", Map.of("_csrf", csrf, "username", username, "password", password, "next", next));
    }

    private static HttpResponse<String> signIn(String username, String password) {
        return signIn(server.anonymousBrowser(), username, password, "/");
    }

    /** The session secret a sign-in answer sets. */
    private static String sessionCookie(HttpResponse<String> answer) {
        return answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("registry_session="))
                .map(c -> c.substring("registry_session=".length(), c.indexOf(';'))).findFirst().orElseThrow();
    }

    /** A GET with only this session cookie, from a client that holds no other. */
    private static HttpResponse<String> withSession(String base, String secret, String path) {
        return TestServer.browser(base).send(HttpRequest.newBuilder(java.net.URI.create(base + path)).header("Cookie", "registry_session=" + secret).build());
    }

    private static boolean refused(HttpResponse<String> answer) {
        return answer.statusCode() == 303 && answer.headers().firstValue("Location").orElse("").startsWith("/sign-in");
    }

    @Test
    void a_right_sign_in_answers_303_to_next_with_a_new_session_every_time() {
        Browser browser = server.anonymousBrowser();
        HttpResponse<String> first = signIn(browser, account("carol"), TestServer.PASSWORD, "/movies?page=2");
        HttpResponse<String> second = signIn(browser, "CAROL", TestServer.PASSWORD, "/people");

        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).hasValue("/movies?page=2");
        assertThat(second.headers().firstValue("Location")).hasValue("/people");
        assertThat(sessionCookie(second)).isNotEqualTo(sessionCookie(first)).hasSize(43);
        assertThat(refused(withSession(server.base, sessionCookie(first), "/users"))).as("the session before it is over").isTrue();
        assertThat(withSession(server.base, sessionCookie(second), "/users").statusCode()).isEqualTo(200);
        assertThat(browser.get("/sign-in").body()).as("the sign-in page says who is signed in").contains("carol", "Sign out");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "", "users", "/%0d%0aSet-Cookie:x=1"})
    void next_leads_only_to_a_path_of_this_site(String next) {
        HttpResponse<String> answer = signIn(server.anonymousBrowser(), account("dave"), TestServer.PASSWORD, next);

        assertThat(answer.statusCode()).isEqualTo(303);
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/").doesNotStartWith("//").doesNotStartWith("/\\");
        if (!next.startsWith("/%0d")) {
            assertThat(location).isEqualTo("/");
        }
    }

    @Test
    void a_wrong_password_an_unknown_username_and_a_disabled_account_get_one_and_the_same_answer() {
        server.accounts().setEnabled(server.accounts().find(account("erin")).orElseThrow().id(), false, registry.history.Actor.CLI);
        account("frank");

        HttpResponse<String> wrongPassword = signIn("frank", "not-the-password-at-all");
        HttpResponse<String> unknown = signIn("nobody-here", TestServer.PASSWORD);
        HttpResponse<String> disabled = signIn("erin", TestServer.PASSWORD);

        for (HttpResponse<String> answer : java.util.List.of(wrongPassword, unknown, disabled)) {
            assertThat(answer.statusCode()).isEqualTo(422);
            assertThat(answer.body()).contains("Wrong username or password").doesNotContain("not-the-password-at-all", TestServer.PASSWORD);
            assertThat(answer.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("registry_session="));
        }
        assertThat(normalized(unknown.body(), "nobody-here")).isEqualTo(normalized(wrongPassword.body(), "frank"))
                .isEqualTo(normalized(disabled.body(), "erin"));
        assertThat(wrongPassword.body()).contains("value=\"frank\"");
    }

    /** A page with its CSRF token and the typed username blanked, to compare answers. */
    private static String normalized(String body, String username) {
        return body.replaceAll("name=\"_csrf\" value=\"[^\"]+\"", "").replace("value=\"" + username + "\"", "value=\"\"");
    }

    @Test
    void an_unknown_username_takes_about_as_long_as_a_wrong_password() {
        account("grace");
        signIn("nobody-warm", "warm-up-the-decoy-hash"); // the decoy hash is made on first use
        long[] wrong = new long[5];
        long[] unknown = new long[5];
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            signIn("grace", "wrong-password-" + i);
            wrong[i] = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            signIn("nobody-" + i, "wrong-password-" + i);
            unknown[i] = System.nanoTime() - t1;
        }
        Arrays.sort(wrong);
        Arrays.sort(unknown);
        double ratio = (double) unknown[2] / wrong[2];

        assertThat(ratio).as("median time unknown / wrong password: %s", ratio).isBetween(0.5, 2.0);
    }

    @Test
    void five_failures_lock_a_username_for_fifteen_minutes_even_with_the_right_password_and_across_a_restart() {
        account("heidi");
        account("ivan");
        for (int i = 0; i < 5; i++) {
            assertThat(signIn("heidi", "wrong-password-" + i).statusCode()).isEqualTo(422);
        }

        HttpResponse<String> locked = signIn("HEIDI", TestServer.PASSWORD);
        HttpResponse<String> other = signIn("ivan", TestServer.PASSWORD);

        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(800L, 900L);
        assertThat(locked.body()).contains("Too many failed sign-ins");
        assertThat(other.statusCode()).as("another username").isEqualTo(303);
        try (TestServer restarted = TestServer.start(server.db.config)) {
            assertThat(signIn(restarted.anonymousBrowser(), "heidi", TestServer.PASSWORD, "/").statusCode()).as("after a restart").isEqualTo(429);
        }
    }

    @Test
    void a_right_sign_in_clears_the_usernames_count() {
        account("judy");
        for (int i = 0; i < 4; i++) {
            signIn("judy", "wrong-password-" + i);
        }
        assertThat(signIn("judy", TestServer.PASSWORD).statusCode()).isEqualTo(303);
        for (int i = 0; i < 4; i++) {
            signIn("judy", "wrong-password-" + i);
        }

        assertThat(signIn("judy", TestServer.PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void twenty_failures_from_one_address_lock_that_address_for_every_username() {
        account("kim");
        for (int i = 0; i < 20; i++) {
            assertThat(signIn("stranger-" + i, "wrong-password-" + i).statusCode()).isEqualTo(422);
        }

        HttpResponse<String> locked = signIn("kim", TestServer.PASSWORD);

        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void a_hash_made_at_other_settings_is_made_again_at_todays_on_sign_in() {
        String name = account("leo");
        String old = Password.hash(TestServer.PASSWORD).addRandomSalt(16).with(Argon2Function.getInstance(8192, 2, 1, 32, Argon2.ID, 19)).getResult();
        server.db.database.write(h -> h.createUpdate("UPDATE accounts SET password_hash = :hash WHERE username = :name")
                .bind("hash", old).bind("name", name).execute());

        HttpResponse<String> answer = signIn(name, TestServer.PASSWORD);
        String now = server.db.database.read(h -> h.createQuery("SELECT password_hash FROM accounts WHERE username = :name")
                .bind("name", name).mapTo(String.class).one());

        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(old).startsWith("$argon2id$v=19$m=8192,t=2,p=1$");
        assertThat(now).startsWith("$argon2id$v=19$m=" + Passwords.MEMORY_KIB + ",t=" + Passwords.ITERATIONS + ",p=" + Passwords.PARALLELISM + "$");
        assertThat(signIn(name, TestServer.PASSWORD).statusCode()).as("the new hash works").isEqualTo(303);
    }

    @Test
    void a_session_ends_when_unused_past_the_idle_limit_and_thirty_days_after_sign_in() throws Exception {
        String idle = sessionCookie(signIn(account("mallory"), TestServer.PASSWORD));
        String old = sessionCookie(signIn(account("mallory"), TestServer.PASSWORD));
        Instant now = Instant.now();
        server.db.database.write(h -> h.createUpdate("UPDATE account_sessions SET last_seen_at = :t WHERE secret_hash = :hash")
                .bind("t", now.minus(Duration.ofMinutes(481))).bind("hash", Accounts.digest(idle)).execute());
        server.db.database.write(h -> h.createUpdate("UPDATE account_sessions SET created_at = :t WHERE secret_hash = :hash")
                .bind("t", now.minus(Duration.ofDays(30)).minusSeconds(1)).bind("hash", Accounts.digest(old)).execute());
        Thread.sleep(Accounts.FRESH.toMillis() + 100);

        assertThat(refused(withSession(server.base, idle, "/users"))).as("idle too long").isTrue();
        assertThat(refused(withSession(server.base, old, "/users"))).as("thirty days old").isTrue();
    }

    @Test
    void signing_out_ends_the_session_on_the_server_and_an_ended_session_is_refused_by_another_instance_within_a_second() throws Exception {
        HttpResponse<String> signedIn = signIn(account("nina"), TestServer.PASSWORD);
        String secret = sessionCookie(signedIn);
        try (TestServer other = TestServer.start(server.db.config)) {
            assertThat(withSession(other.base, secret, "/users").statusCode()).as("the session works on the other instance").isEqualTo(200);
            HttpResponse<String> page = withSession(server.base, secret, "/users");
            Browser here = TestServer.browser(server.base);
            HttpResponse<String> out = here.send(HttpRequest.newBuilder(server.uri("/sign-out")).header("Cookie", "registry_session=" + secret
                            + "; " + csrfCookie(page)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + TestServer.csrfToken(page.body()))).build());
            long ended = System.nanoTime();
            assertThat(out.statusCode()).isEqualTo(303);
            assertThat(out.headers().firstValue("Location")).hasValue("/sign-in");
            assertThat(refused(withSession(server.base, secret, "/users"))).as("on the instance that ended it").isTrue();
            while (!refused(withSession(other.base, secret, "/users"))) {
                assertThat(Duration.ofNanos(System.nanoTime() - ended)).as("refused by the other instance").isLessThan(Duration.ofSeconds(1));
                Thread.sleep(20);
            }
        }
    }

    /** The CSRF cookie a page set, as "name=value". */
    private static String csrfCookie(HttpResponse<String> page) {
        return page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("registry_csrf=")).map(c -> c.substring(0, c.indexOf(';')))
                .findFirst().orElseThrow();
    }
}
