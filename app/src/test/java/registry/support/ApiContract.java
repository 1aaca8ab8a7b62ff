package registry.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import registry.web.Json;

/**
 * Holds every API request and answer the tests make to the app's own OpenAPI document (SPEC "For
 * machines": real responses validate against it): the status must be one the operation documents,
 * a JSON body must match that status's schema, and a request body the app accepted (2xx) must
 * match the operation's request schema. A request the app refused may break the document on
 * purpose (that is what the test is about), so it is not held to it.
 *
 * <p>The document is read once per JVM, from the first server asked (every server builds the same
 * one), and each schema is compiled once (networknt json-schema-validator, draft 2020-12, which
 * OpenAPI 3.1 uses).
 */
public final class ApiContract {
    private static volatile ApiContract shared;

    private final List<Operation> operations = new ArrayList<>();
    private final ObjectNode document;
    private final ObjectNode defs;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private record Operation(String method, String template, Pattern path, JsonNode node) {}

    private ApiContract(ObjectNode document) {
        // Schemas refer to each other as #/components/schemas/X; a schema validated on its own
        // finds them as #/$defs/X beside it.
        String text = document.toString().replace("\"#/components/schemas/", "\"#/$defs/");
        try {
            this.document = (ObjectNode) Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        this.defs = (ObjectNode) this.document.at("/components/schemas");
        this.document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> operations.add(new Operation(
                op.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                Pattern.compile(Pattern.quote(path.getKey()).replaceAll("\\{[a-z_]+}", "\\\\E[^/]+\\\\Q")), op.getValue()))));
    }

    /** The contract, read from the server at {@code base} the first time. */
    static ApiContract of(String base, HttpClient client) {
        ApiContract contract = shared;
        if (contract == null) {
            synchronized (ApiContract.class) {
                if (shared == null) {
                    try {
                        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(java.net.URI.create(base + "/api/openapi.json")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        shared = new ApiContract((ObjectNode) Json.MAPPER.readTree(answer.body()));
                    } catch (Exception e) {
                        throw new AssertionError("cannot read the OpenAPI document from " + base, e);
                    }
                }
                contract = shared;
            }
        }
        return contract;
    }

    /** Fails when {@code answer} (to {@code request}) is not what the document says. */
    void check(HttpRequest request, HttpResponse<?> answer) {
        String path = request.uri().getRawPath();
        String method = request.method();
        if (!path.startsWith("/api/") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        Optional<Operation> found = operations.stream().filter(o -> o.method().equals(method) && o.path().matcher(path).matches()).findFirst();
        if (found.isEmpty()) {
            return; // not an operation (404, 405): nothing in the document to hold it to
        }
        Operation operation = found.get();
        String what = method + " " + path + " (" + operation.template() + ") answered " + answer.statusCode();
        JsonNode response = operation.node().at("/responses/" + answer.statusCode());
        if (response.isMissingNode()) {
            throw new AssertionError(what + ", a status the OpenAPI document does not give it: " + answer.body());
        }
        if (response.has("$ref")) {
            response = document.at(response.get("$ref").asText().substring(1));
        }
        String type = answer.headers().firstValue("Content-Type").orElse("");
        JsonNode content = response.get("content");
        if (content != null && answer.body() instanceof String body && !body.isEmpty()) {
            JsonNode json = content.get("application/json");
            if (json == null) {
                String documented = content.fieldNames().next();
                if (!type.startsWith(documented)) {
                    throw new AssertionError(what + " as " + type + "; the document says " + documented);
                }
            } else {
                if (!type.startsWith("application/json")) {
                    throw new AssertionError(what + " as " + type + "; the document says application/json: " + body);
                }
                validate(what, operation.template() + " " + method + " " + answer.statusCode(), json.get("schema"), body);
            }
        }
        if (answer.statusCode() / 100 == 2) {
            JsonNode requestSchema = operation.node().at("/requestBody/content/application~1json/schema");
            if (!requestSchema.isMissingNode()) {
                String sent = bodyOf(request);
                if (sent != null && !sent.isEmpty()) {
                    validate(method + " " + path + " sent a body the document refuses, and the app took it (" + answer.statusCode() + ")",
                            operation.template() + " " + method + " request", requestSchema, sent);
                }
            }
        }
    }

    private void validate(String what, String key, JsonNode schema, String body) {
        JsonSchema compiledSchema = compiled.computeIfAbsent(key, k -> {
            ObjectNode standalone = schema.deepCopy();
            standalone.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            standalone.set("$defs", defs);
            return factory.getSchema(standalone);
        });
        JsonNode value;
        try {
            value = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(what + " with a body that is not JSON: " + body, e);
        }
        Set<ValidationMessage> errors = compiledSchema.validate(value);
        if (!errors.isEmpty()) {
            throw new AssertionError(what + ", not as the OpenAPI document says: " + errors + "\n" + body);
        }
    }

    /** What a request sends: its publisher gives it again (the JDK's publishers for strings and bytes can be read more than once). */
    private static String bodyOf(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return null;
        }
        CompletableFuture<String> text = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<ByteBuffer>() {
            private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                text.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                text.complete(bytes.toString(StandardCharsets.UTF_8));
            }
        });
        try {
            return text.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot read back the body of " + request, e);
        }
    }
}
