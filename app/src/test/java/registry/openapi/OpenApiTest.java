package registry.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.net.http.HttpResponse;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;
import registry.web.Json;

/**
 * {@code GET /api/openapi.json} against the router: every /api route documented, nothing documented
 * that the router lacks, and the record schemas carrying the kinds' own rules.
 */
class OpenApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode document() throws Exception {
        HttpResponse<String> answer = server.anonymousBrowser().get("/api/openapi.json");
        assertThat(answer.statusCode()).as("public, as SPEC \"Accounts and access\" says").isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        return Json.MAPPER.readTree(answer.body());
    }

    /** "GET /api/users/{id}" for every /api route of the router. */
    private static Set<String> routed() {
        Set<String> routes = new TreeSet<>();
        for (var parsed : server.app.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.endpoint;
            if (endpoint.method.isHttpMethod() && endpoint.method != HandlerType.HEAD && endpoint.path.startsWith("/api/")) {
                routes.add(endpoint.method.name() + " " + endpoint.path);
            }
        }
        return routes;
    }

    private static Set<String> documented(JsonNode document) {
        Set<String> routes = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> routes.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        return routes;
    }

    @Test
    void every_api_route_of_the_router_is_documented_and_nothing_else() throws Exception {
        Set<String> routed = routed();
        Set<String> documented = documented(document());

        assertThat(routed).as("the router's /api routes").hasSizeGreaterThan(25);
        assertThat(new TreeSet<>(documented)).as("documented routes the router lacks").isEqualTo(new TreeSet<>(routed));
    }

    @Test
    void it_is_openapi_3_1_with_the_bearer_scheme_and_every_operation_says_its_statuses() throws Exception {
        JsonNode document = document();

        assertThat(document.get("openapi").asText()).startsWith("3.1");
        // OpenAPI 3.1's own dialect is the default; Swagger UI (/api/docs) shows a warning for any other.
        assertThat(document.has("jsonSchemaDialect")).as("jsonSchemaDialect given").isFalse();
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        List<String> ids = new ArrayList<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            ids.add(op.getValue().get("operationId").asText());
            assertThat(op.getValue().get("responses").size()).as(op.getKey() + " " + path.getKey()).isGreaterThan(3);
        }));
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(document.at("/paths/~1api~1movies~1{id}/put/responses/409/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/MovieConflict");
        assertThat(document.at("/components/schemas/MovieConflict/properties/current/$ref").asText()).isEqualTo("#/components/schemas/Movie");
        assertThat(document.at("/components/schemas/FieldErrors/properties/errors/additionalProperties/items/type").asText()).isEqualTo("string");
        assertThat(document.at("/paths/~1api~1credits~1import/post/responses/422/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/ImportReport");
    }

    @Test
    void record_schemas_carry_each_kinds_fields_and_rules() throws Exception {
        JsonNode schemas = document().at("/components/schemas");

        JsonNode user = schemas.get("UserInput");
        assertThat(user.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(user.at("/properties/username/maxLength").asInt()).isEqualTo(50);
        assertThat(user.at("/properties/username/minLength").asInt()).isEqualTo(3);
        assertThat(user.at("/properties/email/maxLength").asInt()).isEqualTo(120);
        assertThat(user.at("/properties/email/format").asText()).isEqualTo("email");
        assertThat(user.get("required").toString()).isEqualTo("[\"username\",\"email\"]");
        assertThat(schemas.at("/MovieInput/properties/title/maxLength").asInt()).isEqualTo(200);
        assertThat(schemas.at("/MovieInput/properties/year/maximum").asInt()).isEqualTo(Year.now().getValue() + 10);
        assertThat(schemas.at("/PersonInput/properties/born/minimum").asInt()).isEqualTo(1800);
        assertThat(schemas.at("/PersonInput/properties/born/type").toString()).isEqualTo("[\"integer\",\"null\"]");
        assertThat(schemas.at("/PersonInput/properties/name/maxLength").asInt()).isEqualTo(80);
        assertThat(schemas.at("/MovieUpdate/required").toString()).contains("\"version\"");
        assertThat(schemas.at("/Movie/properties/directors/type").asText()).isEqualTo("string");
        assertThat(schemas.at("/Movie/required").toString()).contains("\"id\"", "\"title\"", "\"year\"", "\"version\"", "\"created_at\"");
    }

    @Test
    void list_parameters_include_the_kinds_filters() throws Exception {
        JsonNode parameters = document().at("/paths/~1api~1movies/get/parameters");
        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.get("name").asText()));

        assertThat(names).contains("q", "sort", "order", "page", "size", "after", "facets", "year_from", "year_to", "decade", "role");
    }
}
