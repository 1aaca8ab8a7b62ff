package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.access.Role;
import registry.support.TestServer;

/**
 * Export then import into an empty database gives the same records with the same ids (SPEC
 * "Import"): a server filled through the API with awkward values (accents and characters beyond
 * the BMP, commas, quotes, semicolons, line breaks, cells a spreadsheet would take for a formula,
 * an empty year, gaps in the ids from deletions, the highest id of each kind deleted, one person
 * in every role) is exported kind by kind over HTTP, and a second server on an empty database of
 * the same engine imports the files in the order the credits need: people, movies, users, credits.
 *
 * <p>Fields and ids come back equal; versions restart at 1 (an import creates each record afresh,
 * as a form would) and created_at/updated_at are the import's time, as the export's own columns
 * are ignored. A record made afterwards takes an id above every imported one: on PostgreSQL that
 * is RecordImport.finish moving the identity on, which does not move past explicit ids by itself.
 */
class RoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> FIELDS = Map.of(
            "people", List.of("name", "born"), "movies", List.of("title", "year"), "users", List.of("username", "email"));

    @TempDir
    Path dir;

    /** Expected field values by kind and id, as they were sent to the first server. */
    private final Map<String, Map<Long, Map<String, String>>> sent = new LinkedHashMap<>();

    @Test
    void export_then_import_into_an_empty_database_gives_the_same_records_ids_and_credits() throws Exception {
        try (TestServer source = TestServer.start(dir.resolve("source")); TestServer target = TestServer.start(dir.resolve("target"))) {
            List<String> credits = fill(source);
            Map<String, String> exported = new LinkedHashMap<>();
            for (String kind : List.of("people", "movies", "users", "credits")) {
                exported.put(kind, export(source, kind));
            }
            assertThat(Csv.rows(exported.get("people"))).extracting(row -> row.get("name"))
                    .as("the export guards a formula-like cell with a '").contains("'=Equals Sign", "'@handle", "'-Dash Person");
            String token = target.token(Role.ADMIN, "write");

            HttpResponse<String> dry = Csv.post(target, token, "people", bytes(exported.get("people")), true);
            assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
            assertThat(Csv.counts(dry)).isEqualTo(sent.get("people").size() + "/0/0/0");
            assertThat(target.get("/api/people").body()).as("a dry run keeps nothing").contains("\"total\":0");

            for (String kind : List.of("people", "movies", "users", "credits")) {
                HttpResponse<String> imported = Csv.post(target, token, kind, bytes(exported.get(kind)), false);
                int rows = kind.equals("credits") ? credits.size() : sent.get(kind).size();
                assertThat(imported.statusCode()).as(kind + ": " + imported.body()).isEqualTo(200);
                assertThat(Csv.counts(imported)).as(kind + ": " + imported.body()).isEqualTo(rows + "/0/0/0");
            }

            for (String kind : FIELDS.keySet()) {
                List<String> columns = FIELDS.get(kind);
                String again = export(target, kind);
                assertThat(Csv.byId(again, columns)).as(kind + " as the second server exports them")
                        .isEqualTo(Csv.byId(exported.get(kind), columns));
                assertThat(Csv.rows(again)).extracting(row -> row.get("version")).as(kind + ": versions restart at 1").containsOnly("1");
                for (Map.Entry<Long, Map<String, String>> record : sent.get(kind).entrySet()) {
                    JsonNode json = JSON.readTree(target.get("/api/" + kind + "/" + record.getKey()).body());
                    Map<String, String> fields = new LinkedHashMap<>();
                    columns.forEach(column -> fields.put(column, json.get(column).isNull() ? "" : json.get(column).asText()));
                    assertThat(fields).as(kind + " " + record.getKey() + " as the API gives it").isEqualTo(record.getValue());
                }
            }
            assertThat(sorted(export(target, "credits"))).isEqualTo(sorted(exported.get("credits")));
            assertThat(creditKeys(export(target, "credits"))).containsExactlyInAnyOrderElementsOf(credits);

            HttpResponse<String> reimported = Csv.post(target, token, "movies", bytes(export(target, "movies")), false);
            assertThat(Csv.counts(reimported)).as("its own export imported again: " + reimported.body())
                    .isEqualTo("0/0/" + sent.get("movies").size() + "/0");

            for (String kind : FIELDS.keySet()) {
                long highest = Collections.max(sent.get(kind).keySet());
                Map<String, Object> fields = switch (kind) {
                    case "people" -> Map.of("name", "Made After The Import");
                    case "movies" -> Map.of("title", "Made After The Import");
                    default -> user("after_import", "after@example.org");
                };
                long fresh = create(target, kind, fields);
                assertThat(fresh).as(kind + ": a new record's id is above the imported ones").isGreaterThan(highest);
            }
        }
    }

    /**
     * The one value the round trip cannot bring back: the export writes "'=x" as it is (it guards
     * only = + - @ tab CR), and the import takes that ' off as the export's guard, storing "=x".
     * A fix needs both sides: the export guarding a leading ' too, the import taking one ' off before '.
     */
    @Test
    void a_value_that_starts_with_an_apostrophe_and_a_formula_character_comes_back_as_it_was() {
        try (TestServer source = TestServer.start(dir.resolve("source")); TestServer target = TestServer.start(dir.resolve("target"))) {
            long id = person(source, "'=not a formula", null);
            HttpResponse<String> imported = Csv.post(target, target.token(Role.ADMIN, "write"), "people", bytes(export(source, "people")), false);

            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            assertThat(read(target.get("/api/people/" + id)).get("name").asText()).isEqualTo("'=not a formula");
        }
    }

    /** Fills the first server: records with awkward values, gaps, an update each, credits; returns the credits as movie/person/role. */
    private List<String> fill(TestServer server) {
        long zola = person(server, "Émile Zola", 1840);
        long varda = person(server, "Agnès Varda", 1927);
        delete(server, "people", person(server, "Deleted Early", 1900));
        long equals = person(server, "=Equals Sign", null);
        long obrien = person(server, "O'Brien, \"Pat\"; the Third", 1950);
        long plus = person(server, "+Plus -Minus", 1960);
        long handle = person(server, "@handle", null);
        long dash = person(server, "-Dash Person", 1970);
        long zhang = person(server, "张艺谋", 1950);
        long multi = person(server, "'Apostrophe Before A Letter", 1901);
        delete(server, "people", person(server, "Deleted Last", 1990));
        update(server, "people", varda, Map.of("name", "Agnès Varda", "born", 1928));

        long cleo = movie(server, "Cléo de 5 à 7", 1962);
        long tiger = movie(server, "Crouching Tiger, Hidden Dragon", 2000);
        movie(server, "The \"Quoted\" Title", 1999);
        long lines = movie(server, "First line\nSecond line", 2010);
        delete(server, "movies", movie(server, "Deleted Movie", 1950));
        long formula = movie(server, "=HYPERLINK(\"http://example.org\",\"click\")", 2020);
        movie(server, "+1 Plus", 2001);
        movie(server, "-40 Degrees", 2002);
        movie(server, "@Home", 2003);
        long untitled = movie(server, "Untitled Project", null);
        movie(server, "Solaris", 1972);
        movie(server, "solaris", 2002);
        long tab = movie(server, "Tab\tinside; and CRLF\r\nhere, x;=cmd", 2011);
        movie(server, "🎬 Clapper 𝄞", 2015);
        delete(server, "movies", movie(server, "Deleted Last Movie", 1951));
        update(server, "movies", tiger, Map.of("title", "Crouching Tiger, Hidden Dragon", "year", 2000));
        update(server, "movies", cleo, Map.of("title", "Cléo de 5 à 7", "year", 1962));

        create(server, "users", user("emile", "émile.zola@exämple.org"));
        create(server, "users", user("-dash", "=cmd@example.org"));
        delete(server, "users", create(server, "users", user("deleted_user", "deleted@example.org")));
        long dot = create(server, "users", user(".dot_user", "+tag@example.org"));
        create(server, "users", user("Plain", "Plain@Example.ORG"));
        delete(server, "users", create(server, "users", user("deleted_last", "last@example.org")));
        update(server, "users", dot, user(".dot_user", "+tag2@example.org"));

        List<String> credits = new ArrayList<>();
        credit(server, credits, cleo, varda, "director");
        credit(server, credits, cleo, varda, "writer");
        credit(server, credits, cleo, equals, "actor");
        credit(server, credits, tiger, zhang, "actor");
        credit(server, credits, tiger, multi, "producer");
        for (String role : List.of("director", "writer", "actor", "producer")) {
            credit(server, credits, lines, multi, role);
        }
        credit(server, credits, formula, obrien, "actor");
        credit(server, credits, formula, handle, "writer");
        credit(server, credits, untitled, dash, "actor");
        credit(server, credits, tab, zola, "writer");
        credit(server, credits, tab, plus, "director");
        return credits;
    }

    private static Map<String, Object> user(String username, String email) {
        return Map.of("username", username, "email", email);
    }

    private long person(TestServer server, String name, Integer born) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", name);
        if (born != null) {
            fields.put("born", born);
        }
        return create(server, "people", fields);
    }

    private long movie(TestServer server, String title, Integer year) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("title", title);
        if (year != null) {
            fields.put("year", year);
        }
        return create(server, "movies", fields);
    }

    /** Creates a record over the API and notes its fields as sent, an absent one as "". */
    private long create(TestServer server, String kind, Map<String, Object> fields) {
        HttpResponse<String> response = server.json("POST", "/api/" + kind, write(fields));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        long id = read(response).get("id").asLong();
        note(kind, id, fields);
        return id;
    }

    private void update(TestServer server, String kind, long id, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("version", read(server.get("/api/" + kind + "/" + id)).get("version").asLong());
        HttpResponse<String> response = server.json("PUT", "/api/" + kind + "/" + id, write(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        note(kind, id, fields);
    }

    private void note(String kind, long id, Map<String, Object> fields) {
        Map<String, String> values = new LinkedHashMap<>();
        FIELDS.get(kind).forEach(field -> values.put(field, fields.containsKey(field) ? String.valueOf(fields.get(field)) : ""));
        sent.computeIfAbsent(kind, k -> new TreeMap<>()).put(id, values);
    }

    private void delete(TestServer server, String kind, long id) {
        HttpResponse<String> response = server.json("DELETE", "/api/" + kind + "/" + id + "?version=1", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        sent.get(kind).remove(id);
    }

    private static void credit(TestServer server, List<String> credits, long movie, long person, String role) {
        HttpResponse<String> response = server.json("POST", "/api/movies/" + movie + "/credits",
                write(Map.of("person_id", person, "role", role)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        credits.add(movie + "/" + person + "/" + role);
    }

    private static String export(TestServer server, String kind) {
        HttpResponse<String> response = server.get("/" + kind + ".csv");
        assertThat(response.statusCode()).as(kind + ".csv").isEqualTo(200);
        assertThat(response.body()).as("a byte-order mark first").startsWith("\uFEFF");
        return response.body();
    }

    private static List<String> creditKeys(String csv) {
        return Csv.rows(csv).stream().map(row -> row.get("movie_id") + "/" + row.get("person_id") + "/" + row.get("role")).toList();
    }

    private static List<Map<String, String>> sorted(String csv) {
        List<Map<String, String>> rows = new ArrayList<>(Csv.rows(csv));
        rows.sort(java.util.Comparator.comparing(Map::toString));
        return rows;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(response.body(), e);
        }
    }
}
