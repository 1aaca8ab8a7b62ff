package registry.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.history.Actor;
import registry.support.TestServer;

/** Credits link movies and people: added and removed on the movie's page and over the API. */
class CreditsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();


    private static long person(String name, Integer born) {
        return server.create("people", "{\"name\":\"" + name + "\"" + (born == null ? "" : ",\"born\":" + born) + "}");
    }

    private static long movie(String title, Integer year) {
        return server.create("movies", "{\"title\":\"" + title + "\"" + (year == null ? "" : ",\"year\":" + year) + "}");
    }

    private static HttpResponse<String> addOnPage(long movie, long person, String role) {
        return server.submit("/movies/" + movie, "/movies/" + movie + "/credits", Map.of("person_id", String.valueOf(person), "role", role));
    }

    @Test
    void a_movie_page_adds_lists_and_removes_credits() {
        long movie = movie("Cléo from 5 to 7", 1962);
        long person = person("Corinne Marchand", 1931);

        HttpResponse<String> added = addOnPage(movie, person, "actor");
        String page = server.get("/movies/" + movie).body();
        HttpResponse<String> removed = server.submit("/movies/" + movie, "/movies/" + movie + "/credits/" + person + "/actor/delete", Map.of());

        assertThat(added.statusCode()).isEqualTo(303);
        assertThat(added.headers().firstValue("Location")).contains("/movies/" + movie);
        assertThat(page).contains("Added Corinne Marchand as actor.", "<a href=\"/people/" + person + "\">Corinne Marchand</a>",
                "<td>actor</td>", "/movies/" + movie + "/credits/" + person + "/actor/delete");
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(server.get("/movies/" + movie).body()).contains("Removed the actor credit.", "No credits yet.");
    }

    @Test
    void removing_a_credit_asks_first_on_a_page_of_its_own() {
        long movie = movie("Alien", 1979);
        long person = person("Ridley Scott", 1937);
        addOnPage(movie, person, "director");
        String confirm = "/movies/" + movie + "/credits/" + person + "/director/delete";

        String moviePage = server.get("/movies/" + movie).body();
        HttpResponse<String> question = server.get(confirm);
        long before = creditCount(movie);
        HttpResponse<String> unknown = server.get("/movies/" + movie + "/credits/" + person + "/writer/delete");
        HttpResponse<String> viewer = server.signedIn(Role.VIEWER).get(confirm);
        HttpResponse<String> removed = server.submit(confirm, confirm, Map.of());

        assertThat(moviePage).contains("<a class=\"button small danger\" href=\"" + confirm
                + "\" aria-label=\"Remove Ridley Scott as director\">Remove</a>");
        assertThat(question.statusCode()).isEqualTo(200);
        assertThat(question.body()).contains("<h1>Remove Ridley Scott as director of Alien?</h1>",
                "<form method=\"post\" action=\"" + confirm + "\"", "name=\"_csrf\"", "<a href=\"/movies/" + movie + "\">Cancel</a>");
        assertThat(before).isEqualTo(1);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(removed.statusCode()).isEqualTo(303);
        assertThat(removed.headers().firstValue("Location")).contains("/movies/" + movie);
        assertThat(creditCount(movie)).isZero();
        assertThat(lastHistory()).isEqualTo("delete credits " + movie + " Ridley Scott — director — Alien");
        assertThat(server.get(confirm).statusCode()).isEqualTo(404);
    }

    private static long creditCount(long movie) {
        return server.db.database.read(h -> h.createQuery("SELECT count(*) FROM credits WHERE movie_id = :m")
                .bind("m", movie).mapTo(Long.class).one());
    }

    /** The newest history entries, newest first, as "action kind record_id label". */
    private static List<String> history(int n) {
        return server.db.database.read(h -> h.createQuery("SELECT action, kind, record_id, label FROM history ORDER BY id DESC LIMIT :n")
                .bind("n", n).map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " " + rs.getString(4)).list());
    }

    private static List<String> newestVias(int n) {
        return server.db.database.read(h -> h.createQuery("SELECT via FROM history ORDER BY id DESC LIMIT :n").bind("n", n)
                .mapTo(String.class).list());
    }

    private static long historyCount() {
        return server.db.database.read(h -> h.createQuery("SELECT count(*) FROM history").mapTo(Long.class).one());
    }

    private static String lastHistory() {
        return history(1).get(0);
    }

    @Test
    void a_duplicate_credit_or_an_unknown_person_is_422_on_the_page_with_the_choice_kept() {
        long movie = movie("Duplicate Credit Movie", 2001);
        long person = person("Dupe Person", null);
        addOnPage(movie, person, "writer");

        HttpResponse<String> duplicate = addOnPage(movie, person, "writer");
        HttpResponse<String> unknown = addOnPage(movie, 987654, "writer");
        HttpResponse<String> badRole = addOnPage(movie, person, "caterer");

        assertThat(duplicate.statusCode()).isEqualTo(422);
        assertThat(duplicate.body()).contains("This person already has this role on this movie", "aria-describedby=\"role-error\"",
                "<option value=\"" + person + "\" selected>");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("No person with id 987654");
        assertThat(badRole.statusCode()).isEqualTo(422);
        assertThat(badRole.body()).contains("Role must be one of director, writer, actor, producer");
    }

    private static HttpResponse<String> addByName(long movie, String name, String role) {
        return server.submit("/movies/" + movie, "/movies/" + movie + "/credits", Map.of("person_id", "", "person_name", name, "role", role));
    }

    private static long people() {
        return server.db.database.read(h -> h.createQuery("SELECT count(*) FROM people").mapTo(Long.class).one());
    }

    private static long personNamed(String name) {
        return server.db.database.read(h -> h.createQuery("SELECT id FROM people WHERE name = :n").bind("n", name).mapTo(Long.class).one());
    }

    @Test
    void a_new_name_on_the_credit_form_creates_the_person_and_the_credit_together() {
        long movie = movie("Blade Runner", 1982);

        HttpResponse<String> added = addByName(movie, "  Ridley Scott-Page ", "director");
        long person = personNamed("Ridley Scott-Page");
        List<String> history = history(2);
        String page = server.get("/movies/" + movie).body();

        assertThat(added.statusCode()).isEqualTo(303);
        assertThat(added.headers().firstValue("Location")).contains("/movies/" + movie);
        assertThat(page).contains("Added Ridley Scott-Page (new person) as director.",
                "<a href=\"/people/" + person + "\">Ridley Scott-Page</a>", "<td>director</td>");
        assertThat(history).containsExactly("create credits " + movie + " Ridley Scott-Page — director — Blade Runner",
                "create people " + person + " Ridley Scott-Page");
        assertThat(newestVias(2)).containsOnly("page");
    }

    @Test
    void a_name_that_exists_ignoring_case_is_that_person_and_creates_nobody() {
        long movie = movie("Vagabond", 1985);
        long person = person("Émile Page-Existing", null);
        long before = people();

        HttpResponse<String> added = addByName(movie, "ÉMILE page-existing", "actor");

        assertThat(added.statusCode()).isEqualTo(303);
        assertThat(server.get("/movies/" + movie).body()).contains("Added Émile Page-Existing as actor.")
                .doesNotContain("(new person)");
        assertThat(people()).isEqualTo(before);
        assertThat(server.get("/api/movies/" + movie + "/credits").body()).contains("\"person_id\":" + person);
    }

    @Test
    void the_credit_form_refuses_a_bad_new_name_no_person_at_all_or_a_choice_and_a_name_that_disagree() {
        long movie = movie("Refusals", 2003);
        long chosen = person("Chosen Person", null);
        long before = people();

        HttpResponse<String> tooLong = addByName(movie, "N".repeat(81), "writer");
        HttpResponse<String> neither = addByName(movie, "", "writer");
        HttpResponse<String> disagree = server.submit("/movies/" + movie, "/movies/" + movie + "/credits",
                Map.of("person_id", String.valueOf(chosen), "person_name", "Somebody Else", "role", "writer"));
        HttpResponse<String> agree = server.submit("/movies/" + movie, "/movies/" + movie + "/credits",
                Map.of("person_id", String.valueOf(chosen), "person_name", "chosen person", "role", "writer"));

        assertThat(tooLong.statusCode()).isEqualTo(422);
        assertThat(tooLong.body()).contains("<p class=\"error\" id=\"person_name-error\">Name must be at most 80 characters long</p>",
                "value=\"" + "N".repeat(81) + "\"", "aria-invalid=\"true\"");
        assertThat(neither.statusCode()).isEqualTo(422);
        assertThat(neither.body()).contains("<p class=\"error\" id=\"person_id-error\">Choose a person, or type a new person&#39;s name</p>");
        assertThat(disagree.statusCode()).isEqualTo(422);
        assertThat(disagree.body()).contains("The person chosen is Chosen Person, not &quot;Somebody Else&quot;: choose a person or type a name, not both",
                "<option value=\"" + chosen + "\" selected>", "value=\"Somebody Else\"");
        assertThat(people()).isEqualTo(before);
        assertThat(agree.statusCode()).isEqualTo(303);
    }

    @Test
    void the_api_takes_a_person_name_new_or_existing() {
        long movie = movie("API Named Credits", 2015);
        long existing = person("Émile API-Existing", 1950);
        String url = "/api/movies/" + movie + "/credits";

        HttpResponse<String> created = server.json("POST", url, "{\"person_name\":\"Ridley Scott-API\",\"role\":\"director\"}");
        long person = personNamed("Ridley Scott-API");
        List<String> history = history(2);
        long before = people();
        HttpResponse<String> folded = server.json("POST", url, "{\"person_name\":\"ÉMILE api-existing\",\"role\":\"writer\"}");
        HttpResponse<String> invalid = server.json("POST", url, "{\"person_name\":\"" + "N".repeat(81) + "\",\"role\":\"actor\"}");
        HttpResponse<String> neither = server.json("POST", url, "{\"role\":\"actor\"}");
        HttpResponse<String> duplicate = server.json("POST", url, "{\"person_name\":\"ridley scott-api\",\"role\":\"director\"}");
        HttpResponse<String> wrongType = server.json("POST", url, "{\"person_name\":7,\"role\":\"actor\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains(url);
        assertThat(created.body()).isEqualTo("{\"person_id\":" + person + ",\"person_name\":\"Ridley Scott-API\",\"role\":\"director\"}");
        assertThat(history).containsExactly("create credits " + movie + " Ridley Scott-API — director — API Named Credits",
                "create people " + person + " Ridley Scott-API");
        assertThat(folded.statusCode()).isEqualTo(201);
        assertThat(folded.body()).isEqualTo("{\"person_id\":" + existing + ",\"person_name\":\"Émile API-Existing\",\"role\":\"writer\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).isEqualTo("{\"errors\":{\"person_name\":[\"Name must be at most 80 characters long\"]}}");
        assertThat(neither.statusCode()).isEqualTo(422);
        assertThat(neither.body()).isEqualTo("{\"errors\":{\"person_id\":[\"Choose a person, or type a new person's name\"]}}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).isEqualTo("{\"error\":\"This person already has this role on this movie\"}");
        assertThat(wrongType.statusCode()).isEqualTo(422);
        assertThat(wrongType.body()).isEqualTo("{\"errors\":{\"person_name\":[\"must be a string\"]}}");
        assertThat(people()).isEqualTo(before);
    }

    @Test
    void a_credit_refused_after_its_new_person_was_made_leaves_no_person_behind() {
        long movie = movie("Rolled Back", 2004);
        long before = people();
        long entries = historyCount();
        // A role past the form's check: the person is inserted, then the credits table's CHECK refuses the credit.
        Credits credits = new Credits(server.db.database);

        assertThatThrownBy(() -> credits.add(movie, new CreditForm("", "Orphan Person", "caterer"), Actor.CLI))
                .isInstanceOf(JdbiException.class);
        assertThat(people()).isEqualTo(before);
        assertThat(historyCount()).isEqualTo(entries);
    }

    @Test
    void the_same_person_may_hold_several_roles_on_one_movie() {
        long movie = movie("Multi Role Movie", 1999);
        long person = person("Multi Role Person", 1970);

        assertThat(addOnPage(movie, person, "director").statusCode()).isEqualTo(303);
        assertThat(addOnPage(movie, person, "writer").statusCode()).isEqualTo(303);
        assertThat(server.get("/api/movies/" + movie + "/credits").body()).isEqualTo("{\"items\":["
                + "{\"person_id\":" + person + ",\"person_name\":\"Multi Role Person\",\"role\":\"director\"},"
                + "{\"person_id\":" + person + ",\"person_name\":\"Multi Role Person\",\"role\":\"writer\"}]}");
    }

    @Test
    void the_api_answers_201_409_422_and_404_as_the_spec_says() {
        long movie = movie("API Credit Movie", 2010);
        long person = person("API Credit Person", 1980);
        String body = "{\"person_id\":" + person + ",\"role\":\"producer\"}";

        HttpResponse<String> created = server.json("POST", "/api/movies/" + movie + "/credits", body);
        HttpResponse<String> duplicate = server.json("POST", "/api/movies/" + movie + "/credits", body);
        HttpResponse<String> badRole = server.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":" + person + ",\"role\":\"grip\"}");
        HttpResponse<String> unknownPerson = server.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":999999,\"role\":\"actor\"}");
        HttpResponse<String> unknownMovie = server.json("POST", "/api/movies/999999/credits", body);
        HttpResponse<String> listMissing = server.get("/api/movies/999999/credits");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("{\"person_id\":" + person + ",\"person_name\":\"API Credit Person\",\"role\":\"producer\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(badRole.statusCode()).isEqualTo(422);
        assertThat(badRole.body()).contains("\"role\":[\"Role must be one of");
        assertThat(unknownPerson.statusCode()).isEqualTo(422);
        assertThat(unknownPerson.body()).isEqualTo("{\"errors\":{\"person_id\":[\"No person with id 999999\"]}}");
        assertThat(unknownMovie.statusCode()).isEqualTo(404);
        assertThat(listMissing.statusCode()).isEqualTo(404);

        HttpResponse<String> deleted = server.json("DELETE", "/api/movies/" + movie + "/credits/" + person + "/producer", null);
        HttpResponse<String> again = server.json("DELETE", "/api/movies/" + movie + "/credits/" + person + "/producer", null);
        HttpResponse<String> oddRole = server.json("DELETE", "/api/movies/" + movie + "/credits/" + person + "/x'y", null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(oddRole.statusCode()).isEqualTo(404);
    }

    @Test
    void deleting_a_movie_removes_its_credits_and_says_how_many() {
        long movie = movie("Cascade Movie", 1990);
        long a = person("Cascade A", null);
        long b = person("Cascade B", null);
        addOnPage(movie, a, "director");
        addOnPage(movie, b, "actor");

        HttpResponse<String> deleted = server.submit("/movies/" + movie + "/delete", "/movies/" + movie + "/delete", Map.of("version", "1"));

        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(server.get("/movies").body()).contains("Deleted movie Cascade Movie and its 2 credits.");
        assertThat(server.get("/people/" + a).body()).contains("No credits yet.");
        long left = server.db.database.read(h -> h.createQuery("SELECT count(*) FROM credits WHERE movie_id = :m")
                .bind("m", movie).mapTo(Long.class).one());
        assertThat(left).isZero();
    }

    @Test
    void a_delete_confirmation_says_how_many_credits_go_with_the_record() {
        long two = movie("Confirm Two Credits", 1995);
        long one = movie("Confirm One Credit", 1996);
        long a = person("Confirm Person A", null);
        long b = person("Confirm Person B", null);
        long none = person("Confirm Person None", null);
        addOnPage(two, a, "director");
        addOnPage(two, b, "actor");
        addOnPage(one, a, "writer");

        HttpResponse<String> movieOfTwo = server.get("/movies/" + two + "/delete");

        assertThat(movieOfTwo.statusCode()).isEqualTo(200);
        assertThat(movieOfTwo.body()).contains("Delete movie Confirm Two Credits?", "<p>This also removes its 2 credits.</p>",
                "goes to the <a href=\"/trash\">trash</a>, with them, where an editor can restore it.").doesNotContain("cannot be undone");
        assertThat(server.get("/movies/" + one + "/delete").body()).contains("<p>This also removes its credit.</p>");
        assertThat(server.get("/people/" + a + "/delete").body()).contains("<p>This also removes its 2 credits.</p>");
        assertThat(server.get("/people/" + b + "/delete").body()).contains("<p>This also removes its credit.</p>");
        assertThat(server.get("/people/" + none + "/delete").body()).contains("Delete person Confirm Person None?")
                .doesNotContain("This also removes");
    }

    @Test
    void deleting_a_person_removes_their_credits_and_says_how_many() {
        long m1 = movie("Person Cascade One", 1991);
        long m2 = movie("Person Cascade Two", 1992);
        long person = person("Cascade Person", 1960);
        addOnPage(m1, person, "actor");
        addOnPage(m2, person, "writer");

        server.submit("/people/" + person + "/delete", "/people/" + person + "/delete", Map.of("version", "1"));

        assertThat(server.get("/people").body()).contains("Deleted person Cascade Person and its 2 credits.");
        assertThat(server.get("/api/movies/" + m1 + "/credits").body()).isEqualTo("{\"items\":[]}");
    }

    @Test
    void a_persons_page_groups_the_filmography_by_role_newest_first() {
        long old = movie("Filmography Old", 1970);
        long recent = movie("Filmography New", 2020);
        long undated = movie("Filmography Undated", null);
        long person = person("Filmography Person", 1940);
        addOnPage(old, person, "director");
        addOnPage(recent, person, "director");
        addOnPage(undated, person, "director");
        addOnPage(old, person, "actor");

        String page = server.get("/people/" + person).body();

        assertThat(page).contains("<h3>Actor</h3>", "<h3>Director</h3>");
        assertThat(page.indexOf("<h3>Actor</h3>")).isLessThan(page.indexOf("<h3>Director</h3>"));
        int directors = page.indexOf("<h3>Director</h3>");
        assertThat(page.indexOf("Filmography New", directors)).isLessThan(page.indexOf("Filmography Old", directors));
        assertThat(page.indexOf("Filmography Old", directors)).isLessThan(page.indexOf("Filmography Undated", directors));
    }

    @Test
    void with_many_people_the_credit_form_asks_for_a_name() {
        long movie = movie("Crowded Movie", 2000);
        server.db.database.write(h -> {
            for (int i = 0; i < 310; i++) {
                h.execute("INSERT INTO people (name, name_key, name_search, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                        "Crowd Member " + i, "crowd member " + i, "crowd member " + i, Instant.EPOCH, Instant.EPOCH);
            }
            return null;
        });

        String page = server.get("/movies/" + movie).body();
        String found = server.get("/movies/" + movie + "?person_q=member%20307").body();

        assertThat(page).contains("Find a person by name", "Showing the first 300 matches");
        assertThat(found).contains(">Crowd Member 307</option>").doesNotContain(">Crowd Member 306</option>");
    }
}
