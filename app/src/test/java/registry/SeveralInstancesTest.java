package registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import java.time.Clock;
import registry.access.Role;
import registry.account.Accounts;
import registry.db.Engine;
import registry.support.ChildApp;
import registry.support.Schema;
import registry.support.TestDb;
import registry.support.TestEngine;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/**
 * Two app processes over one database, as behind a load balancer that does not keep a browser on
 * one of them: started together on an empty database, then used alternately by the same browsers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class SeveralInstancesTest {
    private static final Pattern VERSION = Pattern.compile("name=\"version\" value=\"(\\d+)\"");

    private Path dir;
    private String url;
    private ChildApp first;
    private ChildApp second;

    @BeforeAll
    void startTwoAtOnce() throws Exception {
        dir = Files.createTempDirectory("registry-instances");
        url = TestEngine.newDatabaseUrl(dir);
        first = ChildApp.start(url);
        second = ChildApp.start(url);
        first.base();
        second.base();
        try (TestDb shared = TestDb.with(registry.config.Config.defaults().withDatabaseUrl(url).withPort(0))) {
            new Accounts(shared.database, Clock.systemUTC(), 480).add("admin", Role.ADMIN, TestServer.PASSWORD, registry.history.Actor.CLI);
        }
    }

    /** A browser signed in through the sign-in form of {@code app}. */
    private static Browser signedIn(ChildApp app) throws Exception {
        return TestServer.browser(app.base()).signIn("admin", TestServer.PASSWORD);
    }

    @AfterAll
    void stop() throws Exception {
        first.close();
        second.close();
    }

    @Test
    void both_serve_and_exactly_one_applied_the_changelogs_while_the_other_waited() throws Exception {
        Browser browser = TestServer.browser(first.base());
        for (ChildApp app : List.of(first, second)) {
            HttpResponse<String> health = browser.get(app.base() + "/health");
            assertThat(health.statusCode()).as(String.join("\n", app.log())).isEqualTo(200);
            assertThat(health.body()).contains("\"schema\":\"current\"");
        }
        int changesets;
        try (TestDb scratch = TestDb.empty(dir.resolve("scratch"))) {
            changesets = scratch.migrations.pending().size();
        }
        long migrators = List.of(first, second).stream()
                .filter(app -> app.log().stream().anyMatch(line -> line.contains("Applied " + changesets + " changeset(s)")))
                .count();
        assertThat(migrators).as("processes that applied the changelogs").isEqualTo(1);
        try (Connection c = DriverManager.getConnection(Engine.driverUrl(url))) {
            assertThat(Schema.rows(c, "SELECT count(*), count(DISTINCT ID) FROM DATABASECHANGELOG"))
                    .containsExactly(changesets + "|" + changesets);
            assertThat(Schema.rows(c, "SELECT count(*) FROM settings WHERE name = 'secret.key'")).containsExactly("1");
        }
    }

    @Test
    void a_form_from_one_is_accepted_by_the_other_and_its_flash_shown_by_either() throws Exception {
        Browser browser = signedIn(first);

        HttpResponse<String> created = browser.submit(first.base() + "/people", second.base() + "/people",
                Map.of("name", "Agnès Varda", "born", "1928"));
        assertThat(created.statusCode()).isEqualTo(303);
        String location = created.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> shown = browser.get(first.base() + location);

        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("Agnès Varda", "class=\"flash");
        assertThat(browser.get(second.base() + location).body()).doesNotContain("class=\"flash");
    }

    @Test
    void concurrent_edits_of_one_record_through_the_two_give_one_winner_and_one_409() throws Exception {
        Browser setup = signedIn(first);
        String location = setup.submit("/movies", "/movies", Map.of("title", "Cléo de 5 à 7", "year", "1962"))
                .headers().firstValue("Location").orElseThrow();
        Browser alice = signedIn(first);
        Browser bob = signedIn(second);
        String aliceForm = alice.get(first.base() + location + "/edit").body();
        String bobForm = bob.get(second.base() + location + "/edit").body();
        assertThat(version(aliceForm)).isEqualTo("1").isEqualTo(version(bobForm));

        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Integer> aliceSaves = CompletableFuture.supplyAsync(() -> save(alice, first, location, aliceForm, "Alice", together));
        CompletableFuture<Integer> bobSaves = CompletableFuture.supplyAsync(() -> save(bob, second, location, bobForm, "Bob", together));

        assertThat(List.of(aliceSaves.get(), bobSaves.get())).containsExactlyInAnyOrder(303, 409);
        String stored = setup.get(second.base() + location).body();
        assertThat(stored).containsAnyOf("Cléo by Alice", "Cléo by Bob");
        assertThat(version(setup.get(first.base() + location + "/edit").body())).isEqualTo("2");
    }

    @Test
    void a_session_from_one_works_on_the_other_and_a_sign_out_on_one_is_refused_by_the_other() throws Exception {
        Browser browser = signedIn(first);
        HttpResponse<String> onSecond = browser.get(second.base() + "/api/me");
        String page = browser.get(first.base() + "/users").body();

        HttpResponse<String> signedOut = browser.postForm(first.base() + "/sign-out", Map.of("_csrf", TestServer.csrfToken(page)));
        long ended = System.nanoTime();
        Thread.sleep(1000);
        HttpResponse<String> afterwards = browser.get(second.base() + "/api/me");

        assertThat(onSecond.statusCode()).isEqualTo(200);
        assertThat(onSecond.body()).contains("\"username\":\"admin\"", "\"via\":\"session\"");
        assertThat(signedOut.statusCode()).isEqualTo(303);
        assertThat(afterwards.statusCode()).as("a second after the sign-out (%d ms)", (System.nanoTime() - ended) / 1_000_000).isEqualTo(401);
    }

    private static int save(Browser browser, ChildApp app, String location, String form, String who, CyclicBarrier together) {
        try {
            together.await();
            return browser.postForm(app.base() + location, Map.of("_csrf", TestServer.csrfToken(form), "version", version(form),
                    "title", "Cléo by " + who, "year", "1962")).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String version(String form) {
        Matcher m = VERSION.matcher(form);
        assertThat(m.find()).as("a version field in the form").isTrue();
        return m.group(1);
    }
}
