package registry.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.support.TestServer;
import registry.support.TestServer.Browser;
import registry.web.Json;

/** SPEC "History and trash": restoring an earlier version of a record, and deleted records from the trash. */
class TrashTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static long created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).get("id").asLong();
    }

    /** The record's entries, newest first. */
    private static JsonNode history(String kind, long id) {
        return json(server.get("/api/" + kind + "/" + id + "/history")).get("items");
    }

    private static long entries() {
        return server.db.database.read(h -> h.createQuery("SELECT COUNT(*) FROM history").mapTo(Long.class).one());
    }

    @Test
    void the_trash_pages_on_from_the_last_deletion_shown_and_misses_none() {
        String token = server.token(registry.access.Role.EDITOR, "write");
        int deleted = RestoreWeb.TRASH_SHOWN + 5;
        for (int i = 0; i < deleted; i++) {
            long id = created(server.anonymousBrowser().withToken(token, "POST", "/api/users",
                    "{\"username\":\"paged_" + i + "\",\"email\":\"paged" + i + "@example.org\"}"));
            assertThat(server.anonymousBrowser().withToken(token, "DELETE", "/api/users/" + id, null).statusCode()).isEqualTo(204);
        }

        String first = server.get("/trash").body();
        String older = first.replaceAll("(?s).*href=\"/trash\\?before=(\\d+)\".*", "$1");
        String second = server.get("/trash?before=" + older).body();

        assertThat(first).contains("paged_" + (deleted - 1), "Older deletions").doesNotContain("paged_4<");
        assertThat(second).contains("paged_4<", "paged_0<", "Newest").doesNotContain("paged_" + (deleted - 1) + "<");
        java.util.Set<String> shown = new java.util.HashSet<>();
        for (String page : java.util.List.of(first, second)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("paged_(\\d+)<").matcher(page);
            while (m.find()) {
                assertThat(shown.add(m.group(1))).as("shown once: paged_" + m.group(1)).isTrue();
            }
        }
        assertThat(shown).hasSize(deleted);
        assertThat(server.get("/trash?before=abc").statusCode()).as("a bad value is the first page").isEqualTo(200);
    }

    @Test
    void restoring_a_version_brings_its_values_back_as_a_new_update_with_its_entry() {
        long id = created(server.json("POST", "/api/people", "{\"name\":\"Agnès Varda\",\"born\":1928}"));
        server.json("PUT", "/api/people/" + id, "{\"name\":\"Agnes V.\",\"born\":1929,\"version\":1}");
        long first = history("people", id).get(1).get("id").asLong();
        Browser editor = server.signedIn(Role.EDITOR);
        String confirm = "/people/" + id + "/history/" + first + "/restore";

        String page = editor.get(confirm).body();
        HttpResponse<String> restored = editor.submit(confirm, confirm, Map.of("version", "2"));

        assertThat(page).contains("Agnès Varda", "1928", "name=\"version\" value=\"2\"");
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(303);
        assertThat(restored.headers().firstValue("Location")).hasValue("/people/" + id);
        JsonNode now = json(server.get("/api/people/" + id));
        assertThat(now.get("name").asText()).isEqualTo("Agnès Varda");
        assertThat(now.get("born").asInt()).isEqualTo(1928);
        assertThat(now.get("version").asLong()).isEqualTo(3);
        JsonNode entry = history("people", id).get(0);
        assertThat(entry.get("action").asText()).isEqualTo("restore");
        assertThat(entry.get("actor").asText()).isEqualTo("editor");
        assertThat(entry.get("changes").toString()).isEqualTo("{\"name\":[\"Agnes V.\",\"Agnès Varda\"],\"born\":[1929,1928]}");
        assertThat(editor.get("/people/" + id + "/history").body()).contains("href=\"" + confirm + "\"");
    }

    @Test
    void a_stale_version_gives_409_and_changes_nothing() {
        long id = created(server.json("POST", "/api/movies", "{\"title\":\"Cléo\",\"year\":1962}"));
        server.json("PUT", "/api/movies/" + id, "{\"title\":\"Cleo from 5 to 7\",\"year\":1962,\"version\":1}");
        long first = history("movies", id).get(1).get("id").asLong();
        String path = "/movies/" + id + "/history/" + first + "/restore";
        long before = entries();

        HttpResponse<String> page = server.browser.submit(path, path, Map.of("version", "1"));
        HttpResponse<String> api = server.json("POST", "/api" + path, "{\"version\":1}");

        assertThat(page.statusCode()).isEqualTo(409);
        assertThat(page.body()).contains("changed since", "name=\"version\" value=\"2\"");
        assertThat(api.statusCode()).isEqualTo(409);
        assertThat(entries()).isEqualTo(before);
        assertThat(server.json("POST", "/api" + path, "{\"version\":2}").statusCode()).isEqualTo(200);
        assertThat(json(server.get("/api/movies/" + id)).get("title").asText()).isEqualTo("Cléo");
    }

    @Test
    void a_value_now_taken_by_another_record_gives_422_on_the_page_and_409_in_the_api() {
        long id = created(server.json("POST", "/api/users", "{\"username\":\"was_first\",\"email\":\"first@example.org\"}"));
        server.json("PUT", "/api/users/" + id, "{\"username\":\"now_second\",\"email\":\"first@example.org\",\"version\":1}");
        created(server.json("POST", "/api/users", "{\"username\":\"Was_First\",\"email\":\"other@example.org\"}"));
        long first = history("users", id).get(1).get("id").asLong();
        String path = "/users/" + id + "/history/" + first + "/restore";

        HttpResponse<String> page = server.browser.submit(path, path, Map.of("version", "2"));
        HttpResponse<String> api = server.json("POST", "/api" + path, "{\"version\":2}");

        assertThat(page.statusCode()).isEqualTo(422);
        assertThat(page.body()).contains("role=\"alert\"");
        assertThat(api.statusCode()).isEqualTo(409);
        assertThat(json(server.get("/api/users/" + id)).get("username").asText()).isEqualTo("now_second");
    }

    @Test
    void an_entry_of_another_record_is_404() {
        long one = created(server.json("POST", "/api/people", "{\"name\":\"One\"}"));
        long other = created(server.json("POST", "/api/people", "{\"name\":\"Other\"}"));
        long entry = history("people", other).get(0).get("id").asLong();

        assertThat(server.json("POST", "/api/people/" + one + "/history/" + entry + "/restore", "{\"version\":1}").statusCode()).isEqualTo(404);
        assertThat(server.get("/people/" + one + "/history/" + entry + "/restore").statusCode()).isEqualTo(404);
    }

    @Test
    void a_deleted_movie_comes_back_from_the_trash_with_its_id_fields_and_the_credits_whose_person_still_exists() {
        long movie = created(server.json("POST", "/api/movies", "{\"title\":\"Le Bonheur\",\"year\":1965}"));
        long stays = created(server.json("POST", "/api/people", "{\"name\":\"Jean-Claude Drouot\"}"));
        long goes = created(server.json("POST", "/api/people", "{\"name\":\"Marie-France Boyer\"}"));
        server.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":" + stays + ",\"role\":\"actor\"}");
        server.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":" + goes + ",\"role\":\"actor\"}");
        server.json("PUT", "/api/movies/" + movie, "{\"title\":\"Le Bonheur\",\"year\":1965,\"version\":1}");
        server.json("DELETE", "/api/movies/" + movie, null);
        server.json("DELETE", "/api/people/" + goes, null);
        long deletion = history("movies", movie).get(0).get("id").asLong();
        Browser viewer = server.signedIn(Role.VIEWER);

        String trash = viewer.get("/trash").body();
        String historyWhileDeleted = viewer.get("/movies/" + movie + "/history").body();
        HttpResponse<String> refused = viewer.submit("/trash", "/trash/" + deletion + "/restore", Map.of());
        HttpResponse<String> restored = server.browser.submit("/trash", "/trash/" + deletion + "/restore", Map.of());
        HttpResponse<String> again = server.browser.submit("/trash", "/trash/" + deletion + "/restore", Map.of());

        assertThat(trash).contains("Le Bonheur", "person_id " + stays + ", role actor", "person_id " + goes + ", role actor", "Marie-France Boyer");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(303);
        assertThat(restored.headers().firstValue("Location")).hasValue("/movies/" + movie);
        // A deleted record's history names it without a link to its page, which is gone until it is restored.
        assertThat(historyWhileDeleted).contains("Le Bonheur (deleted: in the <a href=\"/trash\">trash</a>)")
                .doesNotContain("href=\"/movies/" + movie + "\"");
        assertThat(viewer.get("/movies/" + movie + "/history").body()).contains("<a href=\"/movies/" + movie + "\">Le Bonheur</a>");
        JsonNode back = json(server.get("/api/movies/" + movie));
        assertThat(back.get("title").asText()).isEqualTo("Le Bonheur");
        assertThat(back.get("year").asInt()).isEqualTo(1965);
        assertThat(back.get("version").asLong()).as("the deleted version + 1").isEqualTo(3);
        String credits = server.get("/api/movies/" + movie + "/credits").body();
        assertThat(credits).contains("\"person_id\":" + stays).doesNotContain("\"person_id\":" + goes);
        JsonNode entry = history("movies", movie).get(0);
        assertThat(entry.get("action").asText()).isEqualTo("restore");
        assertThat(entry.get("changes").get("credits").toString()).contains("\"person_id\":" + stays).doesNotContain("\"person_id\":" + goes + ",");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(server.get("/trash").body()).doesNotContain("/trash/" + deletion + "/restore");
        assertThat(server.json("POST", "/api/trash/" + deletion + "/restore", null).statusCode()).isEqualTo(404);
    }

    @Test
    void the_api_restores_with_201_and_location() {
        long id = created(server.json("POST", "/api/people", "{\"name\":\"Jacques Demy\",\"born\":1931}"));
        server.json("DELETE", "/api/people/" + id, null);
        long deletion = history("people", id).get(0).get("id").asLong();

        HttpResponse<String> restored = server.json("POST", "/api/trash/" + deletion + "/restore", null);

        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(201);
        assertThat(restored.headers().firstValue("Location")).hasValue("/api/people/" + id);
        assertThat(json(restored).get("version").asLong()).isEqualTo(2);
        assertThat(json(restored).get("born").asInt()).isEqualTo(1931);
    }

    @Test
    void a_deleted_user_whose_username_is_taken_now_gives_409_naming_it_and_nothing_changes() {
        long id = created(server.json("POST", "/api/users", "{\"username\":\"comeback\",\"email\":\"comeback@example.org\"}"));
        server.json("DELETE", "/api/users/" + id, null);
        long deletion = history("users", id).get(0).get("id").asLong();
        long taker = created(server.json("POST", "/api/users", "{\"username\":\"COMEBACK\",\"email\":\"taker@example.org\"}"));
        long before = entries();

        HttpResponse<String> page = server.browser.submit("/trash", "/trash/" + deletion + "/restore", Map.of());
        HttpResponse<String> api = server.json("POST", "/api/trash/" + deletion + "/restore", null);

        assertThat(page.statusCode()).isEqualTo(409);
        assertThat(page.body()).contains("COMEBACK", "id " + taker, "Nothing was changed");
        assertThat(api.statusCode()).isEqualTo(409);
        assertThat(server.get("/api/users/" + id).statusCode()).isEqualTo(404);
        assertThat(entries()).isEqualTo(before);
        assertThat(server.get("/trash").body()).contains("/trash/" + deletion + "/restore");
    }

    @Test
    void not_a_deletion_is_404() {
        long id = created(server.json("POST", "/api/people", "{\"name\":\"Not deleted\"}"));
        long create = history("people", id).get(0).get("id").asLong();

        assertThat(server.json("POST", "/api/trash/" + create + "/restore", null).statusCode()).isEqualTo(404);
        assertThat(server.json("POST", "/api/trash/99999999/restore", null).statusCode()).isEqualTo(404);
    }
}
