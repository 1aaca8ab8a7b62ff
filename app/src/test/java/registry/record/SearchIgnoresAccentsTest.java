package registry.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;
import registry.web.Json;

/**
 * A search ignores accents as well as case, on pages and API, for short queries (a LIKE) and long
 * ones (SQLite's trigram index), whichever side has the accent; while uniqueness still tells
 * "Emile" from "Émile". Every way a record is written keeps it findable: create, update, import,
 * a restore from the history and from the trash.
 */
class SearchIgnoresAccentsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static long create(String kind, String body) {
        return json(server.json("POST", "/api/" + kind, body), 201).get("id").asLong();
    }

    /** What {@code q} finds of a kind, by the field {@code field}, in id order. */
    private static List<String> found(String kind, String field, String q) {
        JsonNode page = json(server.get("/api/" + kind + "?size=100&q=" + encode(q)), 200);
        List<String> values = new ArrayList<>();
        page.get("items").forEach(item -> values.add(item.get(field).asText()));
        assertThat(page.get("total").asLong()).as("total of q=" + q).isEqualTo(values.size());
        return values;
    }

    private static long lastEntry(String kind, long id) {
        return json(server.get("/api/" + kind + "/" + id + "/history"), 200).get("items").get(0).get("id").asLong();
    }

    @Test
    void emile_and_emile_with_an_accent_are_two_people_and_emile_in_capitals_finds_both() {
        long accented = create("people", "{\"name\":\"Émile Zola\",\"born\":1840}");
        long plain = create("people", "{\"name\":\"Emile Zola\",\"born\":1840}");
        HttpResponse<String> sameIgnoringCase = server.json("POST", "/api/people", "{\"name\":\"ÉMILE ZOLA\"}");
        HttpResponse<String> form = server.submit("/people", "/people", java.util.Map.of("name", "émile zola", "born", ""));

        assertThat(plain).isNotEqualTo(accented);
        assertThat(sameIgnoringCase.statusCode()).as("the same name ignoring case").isEqualTo(409);
        assertThat(form.statusCode()).isEqualTo(422);
        assertThat(form.body()).contains("A person with this name already exists");
        for (String q : List.of("EMILE", "émile", "Émile Zola", "EM", "mile zol")) {
            assertThat(found("people", "name", q)).as("q=" + q).containsExactly("Émile Zola", "Emile Zola");
        }
        String page = server.get("/people?q=EMILE").body();
        assertThat(page).contains("Émile Zola", "Emile Zola");
        String decade = json(server.get("/api/people?q=emile&facets=true"), 200).get("facets").get("decade").toString();
        assertThat(decade).as("facet counts over what the search finds").contains("\"1840\":2");
    }

    @Test
    void a_title_is_found_without_its_accents_and_a_plain_title_by_a_query_with_accents() {
        create("movies", "{\"title\":\"Amélie\",\"year\":2001}");
        create("movies", "{\"title\":\"Metropolis\",\"year\":1927}");
        create("movies", "{\"title\":\"Ça tourne à Manhattan\",\"year\":1993}");

        for (String q : List.of("ame", "AMELIE", "amé", "am", "ame\u0301lie")) {
            assertThat(found("movies", "title", q)).as("q=" + q).containsExactly("Amélie");
        }
        assertThat(found("movies", "title", "MÉTROPOLIS")).containsExactly("Metropolis");
        assertThat(found("movies", "title", "ca tour")).containsExactly("Ça tourne à Manhattan");
        assertThat(found("movies", "title", "a manh")).containsExactly("Ça tourne à Manhattan");
        assertThat(server.get("/movies?q=ame").body()).contains("Amélie").doesNotContain("Metropolis");
    }

    @Test
    void an_email_with_accents_is_found_by_its_plain_letters_while_its_domain_filter_keeps_them() {
        create("users", "{\"username\":\"zoe\",\"email\":\"Zoë@Exämple.org\"}");
        create("users", "{\"username\":\"zoe2\",\"email\":\"zoe@example.org\"}");

        assertThat(found("users", "username", "ZOE@EXAMPLE")).containsExactly("zoe", "zoe2");
        assertThat(found("users", "username", "zoë")).containsExactly("zoe", "zoe2");
        assertThat(json(server.get("/api/users?q=zoe&domain=exämple.org"), 200).get("items"))
                .extracting(u -> u.get("username").asText()).containsExactly("zoe");
    }

    @Test
    void updates_imports_and_restores_keep_the_search_in_step_with_the_title() {
        long movie = create("movies", "{\"title\":\"Jour de fête\",\"year\":1949}");
        long created = lastEntry("movies", movie);
        json(server.json("PUT", "/api/movies/" + movie, "{\"title\":\"Jour de fête à Zürich\",\"year\":1949,\"version\":1}"), 200);

        assertThat(found("movies", "title", "ZURICH")).containsExactly("Jour de fête à Zürich");

        json(server.json("POST", "/api/movies/" + movie + "/history/" + created + "/restore", "{\"version\":2}"), 200);
        assertThat(found("movies", "title", "zurich")).as("the restored title only").isEmpty();
        assertThat(found("movies", "title", "jour de fete")).containsExactly("Jour de fête");

        assertThat(server.json("DELETE", "/api/movies/" + movie, null).statusCode()).isEqualTo(204);
        assertThat(found("movies", "title", "jour de fete")).isEmpty();
        json(server.json("POST", "/api/trash/" + lastEntry("movies", movie) + "/restore", null), 201);
        assertThat(found("movies", "title", "jour de fete")).containsExactly("Jour de fête");

        HttpResponse<String> imported = server.send(HttpRequest.newBuilder(server.uri("/api/movies/import"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("id,title,year\n" + movie + ",Jour de fête à Sète,1949\n,Cléo de 5 à 7,1962\n"))
                .build());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(found("movies", "title", "CLEO")).containsExactly("Cléo de 5 à 7");
        assertThat(found("movies", "title", "a 7")).containsExactly("Cléo de 5 à 7");
        assertThat(found("movies", "title", "a sete")).containsExactly("Jour de fête à Sète");
        assertThat(found("movies", "title", "jour de fete")).containsExactly("Jour de fête à Sète");
    }
}
