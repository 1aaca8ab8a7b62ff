package registry.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;
import registry.web.Json;

/** SPEC "JSON API": a member the OpenAPI document does not name is a 422 field error naming it, on create and update of every kind. */
class OpenApiStrictBodiesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    /** A valid body of each kind, by path. */
    private static final Map<String, String> VALID = Map.of(
            "users", "{\"username\":\"strict_%s\",\"email\":\"strict.%s@example.org\"}",
            "people", "{\"name\":\"Strict %s\",\"born\":1950}",
            "movies", "{\"title\":\"Strict %s\",\"year\":1979}");

    private static ObjectNode body(String kind, String tag) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(VALID.get(kind).formatted(tag, tag));
    }

    private static JsonNode json(HttpResponse<String> answer) throws Exception {
        return Json.MAPPER.readTree(answer.body());
    }

    @ParameterizedTest
    @CsvSource({"users", "people", "movies"})
    void an_unknown_member_is_refused_on_create_and_on_update(String kind) throws Exception {
        ObjectNode create = body(kind, "c").put("director", "Ridley");
        HttpResponse<String> refused = server.json("POST", "/api/" + kind, create.toString());

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(json(refused).at("/errors/director/0").asText()).startsWith("director is not a member of");
        assertThat(server.get("/api/" + kind + "?q=Strict").body()).doesNotContain("strict_c\"", "Strict c\"");

        HttpResponse<String> created = server.json("POST", "/api/" + kind, body(kind, "u").toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ObjectNode record = (ObjectNode) json(created);
        ObjectNode update = record.deepCopy().put("director", "Ridley");
        HttpResponse<String> stale = server.json("PUT", "/api/" + kind + "/" + record.get("id").asLong(), update.toString());

        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(422);
        assertThat(json(stale).get("errors").properties()).extracting(Map.Entry::getKey).containsExactly("director");
        assertThat(json(server.get("/api/" + kind + "/" + record.get("id").asLong())).get("version").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({"users", "people", "movies"})
    void a_record_as_read_can_be_sent_back(String kind) throws Exception {
        HttpResponse<String> created = server.json("POST", "/api/" + kind, body(kind, "back").toString());
        ObjectNode record = (ObjectNode) json(created);

        HttpResponse<String> updated = server.json("PUT", "/api/" + kind + "/" + record.get("id").asLong(), record.toString());

        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    @Test
    void credits_and_restores_refuse_unknown_members_too() throws Exception {
        long movie = json(server.json("POST", "/api/movies", "{\"title\":\"Alien\",\"year\":1979}")).get("id").asLong();

        HttpResponse<String> credit = server.json("POST", "/api/movies/" + movie + "/credits",
                "{\"person_name\":\"Ridley Scott\",\"role\":\"director\",\"billing\":1}");
        assertThat(credit.statusCode()).as(credit.body()).isEqualTo(422);
        assertThat(json(credit).at("/errors/billing/0").asText()).startsWith("billing is not a member of a credit");

        long entry = json(server.get("/api/movies/" + movie + "/history")).at("/items/0/id").asLong();
        HttpResponse<String> restore = server.json("POST", "/api/movies/" + movie + "/history/" + entry + "/restore",
                "{\"version\":1,\"force\":true}");
        assertThat(restore.statusCode()).as(restore.body()).isEqualTo(422);
        assertThat(json(restore).at("/errors/force/0").asText()).startsWith("force is not a member of a restore");
    }
}
