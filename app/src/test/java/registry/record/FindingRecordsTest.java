package registry.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;
import registry.web.Json;

/**
 * SPEC "Finding records" over HTTP: filters beside {@code q} on pages and API, kept in every link;
 * facet counts; the API's cursor, walked to the end and under concurrent inserts and deletes; and
 * page numbers in the middle of a long list (found from kept keys) agreeing with the cursor's walk.
 * 2,600 movies, so that middle pages are more than one stretch of {@link Listing#STRETCH} from
 * either end; some without a year, titles differing in case.
 */
class FindingRecordsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final int MOVIES = 2600;

    @BeforeAll
    static void fill() {
        StringBuilder csv = new StringBuilder("title,year\n");
        for (int i = 0; i < MOVIES; i++) {
            String year = i % 13 == 0 ? "" : Integer.toString(1950 + i % 60);
            csv.append(i % 3 == 0 ? "the Film " : "The Film ").append(i).append(',').append(year).append('\n');
        }
        HttpResponse<String> imported = server.send(HttpRequest.newBuilder(server.uri("/api/movies/import"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        for (String person : List.of("Ada Director", "Bo Actor", "Cy Writer")) {
            assertThat(server.json("POST", "/api/people", "{\"name\":\"" + person + "\",\"born\":1941}").statusCode()).isEqualTo(201);
        }
        // Movies 1..5 (years 1950..1954) have a director; 1 and 2 also an actor.
        for (int movie = 1; movie <= 5; movie++) {
            credit(movie, "Ada Director", "director");
        }
        credit(1, "Bo Actor", "actor");
        credit(2, "Bo Actor", "actor");
        for (String user : List.of("ann@Example.org", "bob@example.org", "cyd@other.net", "dee@mail.example.org")) {
            String name = user.substring(0, user.indexOf('@'));
            assertThat(server.json("POST", "/api/users", "{\"username\":\"" + name + "\",\"email\":\"" + user + "\"}").statusCode()).isEqualTo(201);
        }
    }

    private static void credit(int movie, String person, String role) {
        HttpResponse<String> added = server.json("POST", "/api/movies/" + movie + "/credits",
                "{\"person_id\":" + personId(person) + ",\"role\":\"" + role + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    }

    private static long personId(String name) {
        return json(server.get("/api/people?q=" + encode(name))).get("items").get(0).get("id").asLong();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static List<Long> ids(JsonNode list) {
        List<Long> ids = new ArrayList<>();
        list.get("items").forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }

    /** Every record of a view, read page after page through the API's cursor. */
    private static List<Long> walk(String query) {
        JsonNode page = json(server.get("/api/movies?" + query));
        List<Long> ids = new ArrayList<>(ids(page));
        while (!page.get("next").isNull()) {
            page = json(server.get("/api/movies?after=" + page.get("next").asText()));
            assertThat(page.get("page").isNull()).isTrue();
            ids.addAll(ids(page));
        }
        return ids;
    }

    @Test
    void filters_narrow_the_api_list_and_combine_with_the_search() {
        assertThat(json(server.get("/api/movies?year_from=2000&year_to=2004")).get("total").asLong())
                .isEqualTo(expected(m -> year(m) != null && year(m) >= 2000 && year(m) <= 2004));
        assertThat(json(server.get("/api/movies?decade=1970")).get("total").asLong())
                .isEqualTo(expected(m -> year(m) != null && year(m) / 10 == 197));
        assertThat(json(server.get("/api/movies?decade=1970s")).get("total").asLong())
                .isEqualTo(json(server.get("/api/movies?decade=1970")).get("total").asLong());
        assertThat(json(server.get("/api/movies?decade=unknown")).get("total").asLong()).isEqualTo(expected(m -> year(m) == null));
        assertThat(ids(json(server.get("/api/movies?role=director")))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(ids(json(server.get("/api/movies?role=actor&sort=id&order=desc")))).containsExactly(2L, 1L);
        assertThat(ids(json(server.get("/api/movies?role=director&year_from=1952&q=film")))).containsExactly(3L, 4L, 5L);
        assertThat(ids(json(server.get("/api/people?role=director")))).containsExactly(personId("Ada Director"));
        assertThat(json(server.get("/api/people?decade=1940&born_to=1941")).get("total").asLong()).isEqualTo(3);
        assertThat(json(server.get("/api/people?born_from=1942")).get("total").asLong()).isZero();
        JsonNode domain = json(server.get("/api/users?domain=EXAMPLE.org"));
        assertThat(domain.get("items")).extracting(u -> u.get("username").asText()).containsExactlyInAnyOrder("ann", "bob");
    }

    @Test
    void a_bad_filter_value_is_ignored_and_never_a_server_error() {
        long all = json(server.get("/api/movies")).get("total").asLong();
        for (String bad : List.of("year_from=abc", "year_to=-5", "decade=1975", "decade=%00", "role=villain", "year_from=99999999999999999999",
                "decade=" + "9".repeat(5000), "role=director%27%20OR%201=1")) {
            HttpResponse<String> answer = server.get("/api/movies?" + bad);
            assertThat(answer.statusCode()).as(bad).isEqualTo(200);
            assertThat(json(answer).get("total").asLong()).as(bad).isEqualTo(all);
            assertThat(server.get("/movies?" + bad).statusCode()).as(bad).isEqualTo(200);
        }
        assertThat(json(server.get("/api/users?domain=a@b")).get("total").asLong()).isEqualTo(json(server.get("/api/users")).get("total").asLong());
        assertThat(server.get("/api/movies?after=not-a-cursor").statusCode()).isEqualTo(400);
        assertThat(server.get("/api/movies?after=" + java.util.Base64.getUrlEncoder().encodeToString(
                "{\"sort\":\"title; DROP TABLE movies\",\"value\":\"x\",\"id\":1}".getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(400);
    }

    @Test
    void facets_count_what_the_search_and_filters_match() {
        JsonNode all = json(server.get("/api/movies?facets=true")).get("facets");
        assertThat(all.get("decade").get("1950").asLong()).isEqualTo(expected(m -> year(m) != null && year(m) / 10 == 195));
        assertThat(all.get("decade").get("unknown").asLong()).isEqualTo(expected(m -> year(m) == null));
        List<String> decades = new ArrayList<>();
        all.get("decade").fieldNames().forEachRemaining(decades::add);
        assertThat(decades).containsExactly("1950", "1960", "1970", "1980", "1990", "2000", "unknown");
        assertThat(all.get("role").get("director").asLong()).isEqualTo(5);
        assertThat(all.get("role").get("actor").asLong()).isEqualTo(2);

        JsonNode narrowed = json(server.get("/api/movies?facets=true&year_to=1951")).get("facets");
        assertThat(narrowed.get("decade").get("1950").asLong()).isEqualTo(expected(m -> year(m) != null && year(m) <= 1951));
        assertThat(narrowed.get("decade").has("1960")).isFalse();
        assertThat(narrowed.get("role").get("director").asLong()).as("movie 2 (1951); movie 1 has no year").isEqualTo(1);

        JsonNode users = json(server.get("/api/users?facets=true")).get("facets").get("domain");
        assertThat(users.get("example.org").asLong()).isEqualTo(2);
        assertThat(users.get("other.net").asLong()).isEqualTo(1);
        assertThat(users.fieldNames().next()).isEqualTo("example.org");
    }

    @Test
    void facets_change_with_the_data() {
        long before = json(server.get("/api/movies?facets=true")).get("facets").get("role").get("actor").asLong();
        credit(3, "Bo Actor", "actor");
        long after = json(server.get("/api/movies?facets=true")).get("facets").get("role").get("actor").asLong();
        assertThat(after).isEqualTo(before + 1);
        assertThat(server.json("DELETE", "/api/movies/3/credits/" + personId("Bo Actor") + "/actor", null).statusCode()).isEqualTo(204);
        assertThat(json(server.get("/api/movies?facets=true")).get("facets").get("role").get("actor").asLong()).isEqualTo(before);
    }

    @Test
    void the_list_page_shows_facets_as_links_that_add_their_filter_and_every_link_keeps_the_filters() {
        String page = server.get("/movies?q=film&year_from=1950&sort=year&order=desc").body();
        assertThat(page).contains("<h3 id=\"facet-decade\">Decade</h3>", "<h3 id=\"facet-role\">Role</h3>")
                .contains("href=\"?q=film&amp;year_from=1950&amp;decade=1970&amp;sort=year&amp;order=desc&amp;page=1\">1970s <span class=\"count\">(")
                .contains("href=\"?q=film&amp;year_from=1950&amp;role=director&amp;sort=year&amp;order=desc&amp;page=1\">director <span class=\"count\">(4)")
                .contains("id=\"filter-year_from\" name=\"year_from\" type=\"text\" inputmode=\"numeric\" size=\"5\" value=\"1950\"")
                .contains("href=\"/movies.csv?q=film&amp;year_from=1950&amp;sort=year&amp;order=desc\"")
                .contains("<input type=\"hidden\" name=\"year_from\" value=\"1950\">");
        assertThat(page).containsPattern("href=\"\\?q=film&amp;year_from=1950&amp;sort=year&amp;order=desc&amp;page=2\">Next</a>");

        String chosen = server.get("/movies?role=director").body();
        assertThat(chosen).contains("<strong aria-current=\"true\">director <span class=\"count\">(5)</span></strong>")
                .contains("href=\"?sort=id&amp;order=asc&amp;page=1\">Any role</a>")
                .contains("1&ndash;5 of 5 movies");
        String csv = server.get("/movies.csv?role=actor").body();
        assertThat(csv.lines().count()).isEqualTo(3);
    }

    @Test
    void the_cursor_walks_every_record_once_in_every_order() {
        for (String sort : List.of("id", "title", "year", "created_at")) {
            for (String order : List.of("asc", "desc")) {
                String view = "sort=" + sort + "&order=" + order;
                List<Long> walked = walk(view + "&size=100");
                List<Long> numbered = new ArrayList<>();
                for (int page = 1; page <= MOVIES / 100; page++) {
                    numbered.addAll(ids(json(server.get("/api/movies?" + view + "&size=100&page=" + page))));
                }
                assertThat(walked).as(view).hasSize(MOVIES).doesNotHaveDuplicates();
                assertThat(numbered).as(view + ", by page numbers (the middle ones from kept keys)").isEqualTo(walked);
            }
        }
        assertThat(walk("role=director&size=2")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(walk("q=film%2039&sort=year&size=1")).hasSize((int) expected(m -> m == 39 || m >= 390 && m <= 399));
    }

    @Test
    void a_middle_page_of_twenty_matches_the_same_stretch_of_the_whole_list() {
        List<Long> whole = walk("sort=year&order=desc&size=100");
        for (int page : new int[] {51, 52, 60, 64, 75, 80}) {
            List<Long> shown = ids(json(server.get("/api/movies?sort=year&order=desc&size=20&page=" + page)));
            assertThat(shown).as("page " + page).isEqualTo(whole.subList((page - 1) * 20, page * 20));
        }
    }

    @Test
    void the_cursor_neither_skips_nor_repeats_a_record_that_was_there_all_along_under_inserts_and_deletes() {
        StringBuilder csv = new StringBuilder("name\n");
        for (int i = 0; i < 250; i++) {
            csv.append("Walker ").append(String.format("%03d", i)).append('\n');
        }
        HttpResponse<String> imported = server.send(HttpRequest.newBuilder(server.uri("/api/people/import"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        Set<Long> before = new HashSet<>(ids(json(server.get("/api/people?q=walker&size=100&page=1"))));
        before.addAll(ids(json(server.get("/api/people?q=walker&size=100&page=2"))));
        before.addAll(ids(json(server.get("/api/people?q=walker&size=100&page=3"))));
        assertThat(before).hasSize(250);
        List<Long> seen = new ArrayList<>();
        Set<Long> deleted = new HashSet<>();
        JsonNode page = json(server.get("/api/people?q=walker&sort=name&size=20"));
        for (int round = 0; ; round++) {
            seen.addAll(ids(page));
            // Between pages: a new walker at either end and in the middle, and one deleted that was not shown yet.
            for (String name : List.of("Walker - new " + round, "Walker 100 new " + round, "Walker zzz new " + round)) {
                assertThat(server.json("POST", "/api/people", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(201);
            }
            before.stream().filter(id -> !seen.contains(id) && !deleted.contains(id)).skip(3).findFirst().ifPresent(victim -> {
                assertThat(server.json("DELETE", "/api/people/" + victim, null).statusCode()).isEqualTo(204);
                deleted.add(victim);
            });
            if (page.get("next").isNull()) {
                break;
            }
            page = json(server.get("/api/people?after=" + page.get("next").asText()));
        }
        Set<Long> stayed = new HashSet<>(before);
        stayed.removeAll(deleted);
        assertThat(seen).doesNotHaveDuplicates().containsAll(stayed);
        assertThat(deleted).hasSizeGreaterThan(5);
    }

    /** Movies of the fill whose index (id - 1) passes. */
    private static long expected(java.util.function.LongPredicate test) {
        long n = 0;
        for (long i = 0; i < MOVIES; i++) {
            if (test.test(i)) {
                n++;
            }
        }
        return n;
    }

    /** The year the fill gave the movie of index {@code i}, null for none. */
    private static Integer year(long i) {
        return i % 13 == 0 ? null : (int) (1950 + i % 60);
    }

}
