package registry.movie;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import registry.support.TestServer;
import registry.web.Json;

/**
 * A movie's directors, derived from its credits: a column of the movies list, of its CSV and a
 * member of its JSON, read in the list's own query; never written by a form, the API or an import.
 */
class DirectorsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();


    private static long person(TestServer on, String name) {
        return on.create("people", "{\"name\":" + quoted(name) + "}");
    }

    private static long movie(TestServer on, String title, Integer year) {
        return on.create("movies", "{\"title\":" + quoted(title) + (year == null ? "" : ",\"year\":" + year) + "}");
    }

    private static void credit(TestServer on, long movie, long person, String role) {
        HttpResponse<String> response = on.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":" + person + ",\"role\":\"" + role + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static String quoted(String text) {
        return Json.MAPPER.valueToTree(text).toString();
    }



    /** The movies a search finds, by title: each one's directors as the JSON list gives them. */
    private static Map<String, String> listed(String q) {
        Map<String, String> directors = new LinkedHashMap<>();
        server.getJson("/api/movies?size=100&sort=title&q=" + q).get("items").forEach(m -> directors.put(m.get("title").asText(), m.get("directors").asText()));
        return directors;
    }

    /**
     * "Fargo" by two directors (their names in folded order: "ava" before "Bong", where code
     * points would put "B" first), who also act and write; the second director credited first.
     */
    private static long fargo(String prefix) {
        long movie = movie(server, prefix + " Fargo", 1996);
        long bong = person(server, prefix + " Bong Joon-ho");
        long ava = person(server, prefix.toLowerCase(java.util.Locale.ROOT) + " ava DuVernay");
        long actor = person(server, prefix + " Frances McDormand");
        credit(server, movie, bong, "director");
        credit(server, movie, ava, "director");
        credit(server, movie, bong, "writer");
        credit(server, movie, actor, "actor");
        return movie;
    }

    @Test
    void the_movies_list_shows_each_movies_directors_in_a_column_of_their_own_by_name_and_none_as_an_empty_cell() {
        fargo("Dirl");
        long undirected = movie(server, "Dirl Undirected", 2001);
        credit(server, undirected, person(server, "Dirl Only Actor"), "actor");

        String page = server.get("/movies?q=dirl&sort=title").body();

        assertThat(page).contains("<th scope=\"col\">Directors</th>",
                ">Dirl Fargo</a></td>\n  <td>1996</td>\n  <td>dirl ava DuVernay, Dirl Bong Joon-ho</td>\n",
                ">Dirl Undirected</a></td>\n  <td>2001</td>\n  <td></td>\n");
        assertThat(page.indexOf("<th scope=\"col\">Directors</th>")).isGreaterThan(page.indexOf(">Year</a>"))
                .isLessThan(page.indexOf(">Created</a>"));
        assertThat(server.get("/movies?q=nothing-matches-this").body()).contains("colspan=\"6\"");
    }

    @Test
    void a_movies_json_carries_its_directors_in_the_list_on_its_own_and_after_a_change() {
        long movie = fargo("Dirj");
        long none = movie(server, "Dirj Nobody Directed", null);

        Map<String, String> list = listed("dirj");
        JsonNode one = server.getJson("/api/movies/" + movie);
        HttpResponse<String> put = server.json("PUT", "/api/movies/" + movie, "{\"title\":\"Dirj Fargo Again\",\"year\":1996,\"version\":1}");

        assertThat(list).containsExactly(Map.entry("Dirj Fargo", "dirj ava DuVernay, Dirj Bong Joon-ho"),
                Map.entry("Dirj Nobody Directed", ""));
        assertThat(one.get("directors").asText()).isEqualTo("dirj ava DuVernay, Dirj Bong Joon-ho");
        assertThat(server.getJson("/api/movies/" + none).get("directors").isTextual()).isTrue();
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(TestServer.json(put).get("directors").asText()).isEqualTo("dirj ava DuVernay, Dirj Bong Joon-ho");
        server.json("DELETE", "/api/movies/" + movie + "/credits/" + server.getJson("/api/movies/" + movie + "/credits").get("items").get(0)
                .get("person_id").asLong() + "/director", null);
        assertThat(server.getJson("/api/movies/" + movie).get("directors").asText()).isEqualTo("Dirj Bong Joon-ho");
    }

    @Test
    void the_csv_export_has_the_directors_last_and_guards_a_formula_like_name_as_any_cell() {
        long movie = fargo("Dirc");
        long other = movie(server, "Dirc Formula", 2010);
        credit(server, other, person(server, "=Dirc Evil"), "director");
        movie(server, "Dirc None", null);

        String csv = server.get("/movies.csv?q=dirc&sort=title").body().replace("\uFEFF", "");
        String[] lines = csv.split("\r\n");

        assertThat(lines[0]).isEqualTo("id,title,year,created_at,updated_at,version,directors");
        assertThat(lines[1]).startsWith(movie + ",Dirc Fargo,1996,").endsWith(",1,\"dirc ava DuVernay, Dirc Bong Joon-ho\"");
        assertThat(lines[2]).startsWith(other + ",Dirc Formula,2010,").endsWith(",1,'=Dirc Evil");
        assertThat(lines[3]).contains(",Dirc None,,").endsWith(",1,");
    }

    @Test
    void directors_are_read_only_forms_the_api_and_an_import_of_the_export_ignore_them() {
        long movie = fargo("Dirr");
        String directors = "dirr ava DuVernay, Dirr Bong Joon-ho";

        HttpResponse<String> put = server.json("PUT", "/api/movies/" + movie,
                "{\"title\":\"Dirr Fargo\",\"year\":1997,\"version\":1,\"directors\":\"Somebody Else\"}");
        HttpResponse<String> post = server.json("POST", "/api/movies", "{\"title\":\"Dirr Posted\",\"directors\":\"Somebody Else\"}");
        HttpResponse<String> form = server.submit("/movies", "/movies", Map.of("title", "Dirr Formed", "year", "", "directors", "Somebody Else"));
        String exported = server.get("/movies.csv?q=dirr").body().replace("\uFEFF", "");
        String changed = exported.replace("\"" + directors + "\"", "Somebody Else");
        HttpResponse<String> imported = server.send(HttpRequest.newBuilder(server.uri("/api/movies/import"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(changed)).build());

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(TestServer.json(put).get("directors").asText()).isEqualTo(directors);
        assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
        assertThat(TestServer.json(post).get("directors").asText()).isEmpty();
        assertThat(form.statusCode()).as(form.body()).isEqualTo(303);
        assertThat(changed).contains(",Somebody Else\r\n").doesNotContain(directors);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        JsonNode counts = TestServer.json(imported);
        assertThat(counts.get("created").asLong() + counts.get("updated").asLong()).as(imported.body()).isZero();
        assertThat(counts.get("unchanged").asLong()).isEqualTo(3);
        assertThat(listed("dirr")).containsExactly(Map.entry("Dirr Fargo", directors), Map.entry("Dirr Formed", ""),
                Map.entry("Dirr Posted", ""));
        assertThat(server.getJson("/api/movies/" + movie + "/history").get("items").get(0).get("changes").toString()).doesNotContain("directors");
    }

    @Test
    void a_movie_back_from_the_trash_answers_with_the_directors_its_credits_bring_back() {
        long movie = fargo("Dirt");
        assertThat(server.json("DELETE", "/api/movies/" + movie, null).statusCode()).isEqualTo(204);
        long entry = server.getJson("/api/movies/" + movie + "/history").get("items").get(0).get("id").asLong();

        HttpResponse<String> restored = server.json("POST", "/api/trash/" + entry + "/restore", null);

        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(201);
        assertThat(TestServer.json(restored).get("directors").asText()).isEqualTo("dirt ava DuVernay, Dirt Bong Joon-ho");
    }

    @Test
    void every_page_by_any_order_by_number_or_by_cursor_has_each_movies_own_directors() {
        List<Integer> years = java.util.Arrays.asList(1999, null, 1950, 1999, 2005, null, 1970);
        for (int i = 0; i < years.size(); i++) {
            long movie = movie(server, "Dirp " + i, years.get(i));
            credit(server, movie, person(server, "Dirp Director " + i), "director");
            if (i % 2 == 0) {
                credit(server, movie, person(server, "Dirp Co-Director " + i), "director");
            }
        }
        for (String sort : List.of("title", "year", "id", "updated_at")) {
            for (String order : List.of("asc", "desc")) {
                String view = "q=dirp&sort=" + sort + "&order=" + order;
                List<JsonNode> whole = new ArrayList<>();
                server.getJson("/api/movies?size=100&" + view).get("items").forEach(whole::add);
                List<JsonNode> byNumber = new ArrayList<>();
                for (int page = 1; page <= 3; page++) {
                    server.getJson("/api/movies?size=3&page=" + page + "&" + view).get("items").forEach(byNumber::add);
                }
                List<JsonNode> byCursor = new ArrayList<>();
                JsonNode answer = server.getJson("/api/movies?size=3&" + view);
                while (true) {
                    answer.get("items").forEach(byCursor::add);
                    if (answer.get("next").isNull()) {
                        break;
                    }
                    answer = server.getJson("/api/movies?after=" + URLEncoder.encode(answer.get("next").asText(), StandardCharsets.UTF_8));
                }

                assertThat(whole).as(view).hasSize(years.size());
                assertThat(byNumber).as(view + " by page number").isEqualTo(whole);
                assertThat(byCursor).as(view + " by cursor").isEqualTo(whole);
                for (JsonNode movie : whole) {
                    String n = movie.get("title").asText().substring("Dirp ".length());
                    assertThat(movie.get("directors").asText()).as(view + ": " + movie.get("title").asText())
                            .isEqualTo(Integer.parseInt(n) % 2 == 0 ? "Dirp Co-Director " + n + ", Dirp Director " + n : "Dirp Director " + n);
                }
            }
        }
    }

    @Test
    void a_list_page_reads_every_rows_directors_in_its_one_query_for_the_slice(@TempDir Path dir) {
        try (TestServer recorded = TestServer.start(TestServer.config(dir).withRecordQueries(true))) {
            for (int i = 0; i < 5; i++) {
                long movie = movie(recorded, "Dirq " + i, 2000 + i);
                credit(recorded, movie, person(recorded, "Dirq Director " + i), "director");
            }

            recorded.get("/movies?size=1"); // the facet counts, kept for the next pages until the data changes
            // Each size is a view of its own, read and rendered at its first request (then kept too).
            String one = recorded.get("/movies?size=2").body();
            String five = recorded.get("/movies?size=5").body();

            assertThat(five).contains("<td>Dirq Director 0</td>", "<td>Dirq Director 4</td>");
            assertThat(queries(five)).isEqualTo(queries(one));
            assertThat(five.split("AS directors", -1)).as("one statement computes the directors").hasSize(2);
            assertThat(five).contains("LIMIT :limit OFFSET :offset) slice");
        }
    }

    /**
     * The statements a page's footer lists, but the check of the session (made again when the
     * last check is a second old, whichever page that falls on).
     */
    private static long queries(String page) {
        assertThat(page).as("a query footer").contains("<footer class=\"queries\">");
        return java.util.Arrays.stream(page.split("<li><code>")).skip(1).filter(q -> !q.contains("account_sessions")).count();
    }
}
