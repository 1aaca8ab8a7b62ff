package registry.credit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.support.TestServer;

/** Credits from both sides over the API: a person's filmography, and {@code ?include=credits} on a movie or a person. */
class FilmographyApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();


    private static long person(String name) {
        return server.create("people", "{\"name\":\"" + name + "\"}");
    }

    private static long movie(String title, Integer year) {
        return server.create("movies", "{\"title\":\"" + title + "\"" + (year == null ? "" : ",\"year\":" + year) + "}");
    }

    private static void credit(long movie, long person, String role) {
        HttpResponse<String> response = server.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":" + person + ",\"role\":\"" + role + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }



    @Test
    void a_persons_credits_are_each_movie_and_role_newest_movie_first_and_undated_last() {
        long old = movie("Filmo Old", 1970);
        long recent = movie("Filmo Recent", 2020);
        long undated = movie("Filmo Undated", null);
        long person = person("Filmo Person");
        credit(old, person, "director");
        credit(undated, person, "writer");
        credit(recent, person, "producer");
        credit(old, person, "actor");

        HttpResponse<String> credits = server.get("/api/people/" + person + "/credits");

        assertThat(credits.statusCode()).isEqualTo(200);
        assertThat(credits.body()).isEqualTo("{\"items\":["
                + "{\"movie_id\":" + recent + ",\"movie_title\":\"Filmo Recent\",\"movie_year\":2020,\"role\":\"producer\"},"
                + "{\"movie_id\":" + old + ",\"movie_title\":\"Filmo Old\",\"movie_year\":1970,\"role\":\"actor\"},"
                + "{\"movie_id\":" + old + ",\"movie_title\":\"Filmo Old\",\"movie_year\":1970,\"role\":\"director\"},"
                + "{\"movie_id\":" + undated + ",\"movie_title\":\"Filmo Undated\",\"movie_year\":null,\"role\":\"writer\"}]}");
    }

    @Test
    void a_person_without_credits_has_none_and_an_unknown_person_is_404_with_an_error() {
        long nobody = person("Filmo Uncredited");

        HttpResponse<String> none = server.get("/api/people/" + nobody + "/credits");
        HttpResponse<String> unknown = server.get("/api/people/999999/credits");
        HttpResponse<String> notAnId = server.get("/api/people/abc/credits");

        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(none.body()).isEqualTo("{\"items\":[]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(unknown).get("error").asText()).isEqualTo("No person with id 999999");
        assertThat(notAnId.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(notAnId).get("error").asText()).isEqualTo("No person with id abc");
    }

    @Test
    void a_persons_credits_are_read_like_any_record_a_viewer_may_a_stranger_may_not() {
        long person = person("Filmo Read Rules");

        assertThat(server.signedIn(Role.VIEWER).get("/api/people/" + person + "/credits").statusCode()).isEqualTo(200);
        assertThat(server.anonymousBrowser().get("/api/people/" + person + "/credits").statusCode()).isEqualTo(401);
    }

    @Test
    void include_credits_adds_a_movies_credits_to_its_record_as_its_credits_route_lists_them() {
        long movie = movie("Filmo Included", 1999);
        long director = person("Filmo Director");
        long actor = person("Filmo Actor");
        credit(movie, actor, "actor");
        credit(movie, director, "director");

        JsonNode plain = server.getJson("/api/movies/" + movie);
        JsonNode included = server.getJson("/api/movies/" + movie + "?include=credits");

        assertThat(plain.has("credits")).isFalse();
        assertThat(included.get("credits")).isEqualTo(server.getJson("/api/movies/" + movie + "/credits").get("items"));
        assertThat(included.get("credits").toString()).isEqualTo("[{\"person_id\":" + director + ",\"person_name\":\"Filmo Director\",\"role\":\"director\"},"
                + "{\"person_id\":" + actor + ",\"person_name\":\"Filmo Actor\",\"role\":\"actor\"}]");
        ((com.fasterxml.jackson.databind.node.ObjectNode) included).remove("credits");
        assertThat(included).as("the record as without include").isEqualTo(plain);
        assertThat(server.getJson("/api/movies/" + movie(("Filmo Uncredited Movie"), null) + "?include=credits").get("credits").toString()).isEqualTo("[]");
    }

    @Test
    void include_credits_adds_a_persons_credits_to_their_record_as_their_credits_route_lists_them() {
        long person = person("Filmo Included Person");
        credit(movie("Filmo Included One", 2001), person, "writer");
        credit(movie("Filmo Included Two", 2011), person, "actor");

        JsonNode plain = server.getJson("/api/people/" + person);
        JsonNode included = server.getJson("/api/people/" + person + "?include=credits");

        assertThat(plain.has("credits")).isFalse();
        assertThat(included.get("credits")).hasSize(2).isEqualTo(server.getJson("/api/people/" + person + "/credits").get("items"));
        assertThat(included.get("credits").get(0).get("movie_title").asText()).isEqualTo("Filmo Included Two");
        assertThat(included.get("name").asText()).isEqualTo("Filmo Included Person");
    }

    @Test
    void an_include_a_kind_does_not_offer_is_ignored_and_a_missing_record_is_still_404() {
        long user = server.create("users", "{\"username\":\"filmo_user\",\"email\":\"filmo@example.org\"}");
        long movie = movie("Filmo Ignored", 1980);

        assertThat(server.getJson("/api/users/" + user + "?include=credits").has("credits")).isFalse();
        assertThat(server.getJson("/api/movies/" + movie + "?include=nonsense").has("credits")).isFalse();
        assertThat(server.getJson("/api/movies/" + movie + "?include=nonsense,%20credits").has("credits")).isTrue();
        HttpResponse<String> missing = server.get("/api/movies/999999?include=credits");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(missing).get("error").asText()).isEqualTo("No movie with id 999999");
    }
}
