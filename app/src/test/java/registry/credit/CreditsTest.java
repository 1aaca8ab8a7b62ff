package registry.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

/** Credits link movies and people: added and removed on the movie's page and over the API. */
class CreditsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static long create(String kind, String json) {
        HttpResponse<String> response = server.json("POST", "/api/" + kind, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Long.parseLong(response.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1"));
    }

    private static long person(String name, Integer born) {
        return create("people", "{\"name\":\"" + name + "\"" + (born == null ? "" : ",\"born\":" + born) + "}");
    }

    private static long movie(String title, Integer year) {
        return create("movies", "{\"title\":\"" + title + "\"" + (year == null ? "" : ",\"year\":" + year) + "}");
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
                h.execute("INSERT INTO people (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        "Crowd Member " + i, "crowd member " + i, Instant.EPOCH, Instant.EPOCH);
            }
            return null;
        });

        String page = server.get("/movies/" + movie).body();
        String found = server.get("/movies/" + movie + "?person_q=member%20307").body();

        assertThat(page).contains("Find a person by name", "Showing the first 300 matches");
        assertThat(found).contains(">Crowd Member 307</option>").doesNotContain(">Crowd Member 306</option>");
    }
}
