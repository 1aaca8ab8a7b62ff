package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import registry.support.TestServer;
import registry.web.Json;

/**
 * {@code POST /api/{kind}/import} as a script would call it, and what the API says of the database
 * afterwards: how many records of each kind, and the newest history entry (the "head"), to show
 * that a refused import wrote nothing.
 */
final class ImportClient {
    private final TestServer server;

    ImportClient(TestServer server) {
        this.server = server;
    }

    /** Imports {@code csv} into {@code kind} as the default (admin) browser. */
    HttpResponse<String> post(String kind, String csv) {
        return post(kind, "", csv.getBytes(StandardCharsets.UTF_8));
    }

    /** A dry run of {@code csv}. */
    HttpResponse<String> dryRun(String kind, String csv) {
        return post(kind, "?dry_run=true", csv.getBytes(StandardCharsets.UTF_8));
    }

    /** Raw bytes as {@code text/csv}. */
    HttpResponse<String> post(String kind, String query, byte[] body) {
        return server.send(HttpRequest.newBuilder(server.uri("/api/" + kind + "/import" + query))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** The answer's body, which must be JSON. */
    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(response.statusCode() + " " + response.body(), e);
        }
    }

    /** The import's answer with {@code status}, as JSON. */
    static JsonNode answer(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return json(response);
    }

    /** An import that must succeed: its counts as {@code [created, updated, unchanged]}. */
    static List<Long> counts(HttpResponse<String> response) {
        JsonNode body = answer(response, 200);
        assertThat(body.get("errors")).as(response.body()).isEmpty();
        assertThat(body.get("invalid").asLong()).isZero();
        return List.of(body.get("created").asLong(), body.get("updated").asLong(), body.get("unchanged").asLong());
    }

    /** The errors of a refused import, each as "line N: field: message" ("line N: message" without a field). */
    static List<String> errors(HttpResponse<String> response) {
        JsonNode body = answer(response, 422);
        List<String> errors = new java.util.ArrayList<>();
        body.get("errors").forEach(e -> errors.add("line " + e.get("line").asLong() + ": "
                + (e.get("field").isNull() ? "" : e.get("field").asText() + ": ") + e.get("message").asText()));
        return errors;
    }

    /** How many records of {@code kind} the API lists. */
    long total(String kind) {
        HttpResponse<String> list = server.get("/api/" + kind + "?size=1");
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        return json(list).get("total").asLong();
    }

    /** The newest history entry's id, through the feed. */
    long historyHead() {
        long after = 0;
        while (true) {
            HttpResponse<String> page = server.get("/api/changes?after=" + after + "&limit=1000");
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            long next = json(page).get("next").asLong();
            if (next == after) {
                return after;
            }
            after = next;
        }
    }

    /** What a refused import must leave as it found: the records of each kind, credits, and the history's head. */
    String state() {
        HttpResponse<String> export = server.get("/credits.csv");
        assertThat(export.statusCode()).isEqualTo(200);
        long credits = de.siegmar.fastcsv.reader.CsvReader.builder().ofCsvRecord(export.body()).stream().count() - 1;
        return "users=" + total("users") + " people=" + total("people") + " movies=" + total("movies") + " credits=" + credits
                + " history=" + historyHead();
    }

    /** The entries of the feed after {@code after}, oldest first. */
    List<JsonNode> entriesAfter(long after) {
        List<JsonNode> entries = new java.util.ArrayList<>();
        json(server.get("/api/changes?after=" + after + "&limit=1000")).get("items").forEach(entries::add);
        return entries;
    }

    /** The record of {@code kind} with {@code id}, as the API gives it. */
    JsonNode record(String kind, long id) {
        HttpResponse<String> answer = server.get("/api/" + kind + "/" + id);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer);
    }

    /** Creates a record through the API; its id. */
    long create(String kind, String body) {
        HttpResponse<String> created = server.json("POST", "/api/" + kind, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asLong();
    }
}
