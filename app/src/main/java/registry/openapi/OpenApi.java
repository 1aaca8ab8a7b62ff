package registry.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.reflect.RecordComponent;
import java.time.Year;
import java.util.List;
import java.util.Map;
import registry.credit.CreditApi;
import registry.credit.Role;
import registry.record.Derived;
import registry.record.Field;
import registry.record.Filter;
import registry.record.Kind;
import registry.record.YearRange;
import registry.web.Json;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 document of the JSON API, built in code from the
 * same declarations the API runs on (each kind's fields, its form's constraints, its filters), so
 * that a new field or kind is documented without anyone writing it down. It is built once, at start:
 * the only thing in it that moves is a year's upper bound, which moves once a year.
 */
public final class OpenApi {
    /**
     * Answers the API gives to any operation: a bad request, no or too low credentials, throttling,
     * a failure of ours (logged, said without a trace), the database gone.
     */
    private static final List<String> ALWAYS = List.of("400", "401", "403", "429", "500", "503");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final List<Kind<?, ?>> kinds;
    private final Map<String, Map<String, String>> includes;
    private final List<String> imports;
    private final ObjectNode document = JSON.objectNode();
    private final byte[] bytes;

    /**
     * @param kinds    every kind of record, in the order the document lists them
     * @param includes what {@code ?include=NAME} adds to a kind's record: kind path → name → schema of its items
     * @param imports  what {@code POST /api/{kind}/import} takes: each kind's path, and credits
     */
    public OpenApi(List<Kind<?, ?>> kinds, Map<String, Map<String, String>> includes, List<String> imports) {
        this.kinds = kinds;
        this.includes = includes;
        this.imports = imports;
        build();
        try {
            this.bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document", e);
        }
    }

    public void routes(RoutesConfig routes) {
        // The route keeps the bytes alone, not this builder with its tree (a third of a MiB of nodes).
        byte[] body = bytes;
        routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(body));
    }

    private void build() {
        document.put("openapi", "3.1.0");
        ObjectNode info = document.putObject("info");
        info.put("title", "Registry");
        info.put("version", "1");
        info.put("description", "Records (" + String.join(", ", kinds.stream().map(Kind::path).toList())
                + ") and the credits that link people and movies, their history and trash, and CSV import.");
        ObjectNode schemes = document.putObject("components").putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "An API token (reg_…), made with `account token` or on the account page; a read token may GET only.");
        schemes.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", "registry_session")
                .put("description", "A signed-in browser's session; its writes must come from this site (Origin).");
        document.putArray("security").add(requirement("bearer")).add(requirement("session"));
        schemas();
        responses();
        ObjectNode paths = document.putObject("paths");
        for (Kind<?, ?> kind : kinds) {
            recordPaths(paths, kind);
        }
        creditPaths(paths);
        historyPaths(paths);
        for (String kind : imports) {
            importPath(paths, kind);
        }
        ObjectNode me = operation(paths, "/api/me", "get", "Account", "Who is asking: the account and how it signed in", List.of());
        ok(me, "200", "The account", ref("Me"));
        ObjectNode self = operation(paths, "/api/openapi.json", "get", "Documentation", "This document", List.of());
        self.putArray("security").add(JSON.objectNode());
        ok(self, "200", "The OpenAPI document", JSON.objectNode().put("type", "object"));
        ObjectNode docs = operation(paths, "/api/docs", "get", "Documentation", "This document, rendered for people", List.of());
        docs.putArray("security").add(JSON.objectNode());
        ((ObjectNode) docs.get("responses")).putObject("200").put("description", "A page").putObject("content")
                .putObject("text/html").putObject("schema").put("type", "string");
    }

    // ---- schemas

    private ObjectNode schemas() {
        ObjectNode schemas = ((ObjectNode) document.get("components")).putObject("schemas");
        ObjectNode error = object(schemas, "Error", "What went wrong, in words for a person");
        string(error, "error");
        error.putArray("required").add("error");
        ObjectNode errors = object(schemas, "FieldErrors", "What is wrong with each member of the body, by member");
        errors.putObject("properties").putObject("errors").put("type", "object")
                .putObject("additionalProperties").put("type", "array").putObject("items").put("type", "string");
        errors.putArray("required").add("errors");
        for (Kind<?, ?> kind : kinds) {
            recordSchemas(schemas, kind);
        }
        ObjectNode credit = object(schemas, "MovieCredit", "A credit as a movie lists it");
        integer(credit, "person_id");
        string(credit, "person_name");
        roleProperty(credit, "role");
        required(credit, "person_id", "person_name", "role");
        ObjectNode filmography = object(schemas, "PersonCredit", "A credit as a person lists it");
        integer(filmography, "movie_id");
        string(filmography, "movie_title");
        props(filmography).putObject("movie_year").putArray("type").add("integer").add("null");
        roleProperty(filmography, "role");
        required(filmography, "movie_id", "movie_title", "movie_year", "role");
        listOf(schemas, "MovieCredits", "MovieCredit");
        listOf(schemas, "PersonCredits", "PersonCredit");
        ObjectNode add = object(schemas, "CreditInput", "A person, by id or by name (a new name creates the person), and a role");
        for (String member : CreditApi.MEMBERS) {
            ObjectNode property = props(add).putObject(member);
            switch (member) {
                case "person_id" -> property.putArray("type").add("integer").add("null");
                case "person_name" -> property.putArray("type").add("string").add("null");
                default -> property.put("type", "string").set("enum", enumOf(Role.names()));
            }
        }
        required(add, "role");
        ObjectNode entry = object(schemas, "HistoryEntry", "One change of a record or credit");
        integer(entry, "id");
        dateTime(entry, "at");
        string(entry, "actor");
        props(entry).putObject("via").put("type", "string").put("description", "page, api, token:NAME, import or cli");
        string(entry, "action");
        string(entry, "kind");
        integer(entry, "record_id");
        string(entry, "label");
        props(entry).putObject("changes").put("type", "object")
                .put("description", "Every field's value for a create or delete; {\"field\": [before, after]} for an update");
        string(entry, "import_id");
        required(entry, "id", "at", "actor", "via", "action", "kind", "record_id", "label", "changes");
        listOf(schemas, "History", "HistoryEntry");
        ObjectNode feed = listOf(schemas, "Feed", "HistoryEntry");
        props(feed).putObject("next").put("type", "integer").put("description", "The last id returned, or after when none: the next call's after");
        feed.withArray("required").add("next");
        ObjectNode restore = object(schemas, "RestoreInput", "The version of the record you read");
        integer(restore, "version");
        required(restore, "version");
        ObjectNode report = object(schemas, "ImportReport", "What an import did, or would do; with any invalid row it changed nothing");
        string(report, "import_id");
        for (String count : List.of("created", "updated", "unchanged", "invalid")) {
            integer(report, count);
        }
        ObjectNode problem = props(report).putObject("errors").put("type", "array").putObject("items");
        problem.put("type", "object").put("additionalProperties", false).putObject("properties");
        integer(problem, "line");
        props(problem).putObject("field").putArray("type").add("string").add("null");
        string(problem, "message");
        required(problem, "line", "field", "message");
        required(report, "created", "updated", "unchanged", "invalid", "errors");
        ObjectNode me = object(schemas, "Me", "The account asking");
        string(me, "username");
        props(me).putObject("role").put("type", "string").set("enum", enumOf(List.of("viewer", "editor", "admin")));
        props(me).putObject("via").put("type", "string").set("enum", enumOf(List.of("session", "token")));
        required(me, "username", "role", "via");
        return schemas;
    }

    /** A kind's record as read, its body to create and to update, its list and its 409: from the kind's declaration. */
    private void recordSchemas(ObjectNode schemas, Kind<?, ?> kind) {
        String name = schemaName(kind);
        ObjectNode record = object(schemas, name, "A " + kind.singular() + " as the API gives it");
        integer(record, "id");
        ArrayNode required = record.putArray("required").add("id");
        for (Field<?> field : kind.fields()) {
            ObjectNode property = fieldSchema(kind, field);
            if (field.isOptional()) {
                nullable(property);
            }
            props(record).set(field.name(), property);
            required.add(field.name());
        }
        dateTime(record, "created_at");
        dateTime(record, "updated_at");
        integer(record, "version");
        required.add("created_at").add("updated_at").add("version");
        for (Derived derived : kind.derived()) {
            props(record).putObject(derived.name()).put("type", "string").put("description", derived.label() + ", read only");
            required.add(derived.name());
        }
        includes.getOrDefault(kind.path(), Map.of()).forEach((include, items) -> props(record).putObject(include)
                .put("description", "Only with ?include=" + include).put("type", "array").set("items", ref(items)));
        for (boolean update : new boolean[] {false, true}) {
            ObjectNode input = object(schemas, name + (update ? "Update" : "Input"),
                    update ? "A whole " + kind.singular() + " with the version you read" : "A new " + kind.singular()
                            + "; a member not named here is refused (422)");
            ArrayNode needed = input.putArray("required");
            for (String member : kind.jsonMembers()) {
                var field = kind.field(member);
                ObjectNode property;
                if (field.isPresent()) {
                    property = fieldSchema(kind, field.get());
                    if (field.get().isOptional()) {
                        nullable(property);
                    } else {
                        needed.add(member);
                    }
                } else if (member.equals("version")) {
                    property = JSON.objectNode().put("type", "integer").put("description", "The version you read: a stale one is a 409");
                    if (update) {
                        needed.add(member);
                    }
                } else {
                    // What a read gives: accepted so that a record can be read, edited and sent back, and ignored.
                    property = (ObjectNode) props(record).get(member).deepCopy();
                    property.put("readOnly", true).put("description", "Ignored when sent");
                }
                props(input).set(member, property);
            }
        }
        ObjectNode list = listOf(schemas, name + "List", name);
        props(list).putObject("page").put("description", "null when the page was asked by cursor (after)").putArray("type").add("integer").add("null");
        integer(list, "size");
        integer(list, "total");
        props(list).putObject("next").put("description", "The cursor of the next page (after=…), null on the last")
                .putArray("type").add("string").add("null");
        ObjectNode facets = props(list).putObject("facets").put("type", "object").put("description", "Only with facets=true: counts by value");
        for (Filter filter : kind.filters()) {
            filter.facet().ifPresent(facet -> facets.withObjectProperty("properties").putObject(facet.name()).put("type", "object")
                    .putObject("additionalProperties").put("type", "integer"));
        }
        facets.put("additionalProperties", false);
        list.withArray("required").add("page").add("size").add("total").add("next");
        ObjectNode conflict = object(schemas, name + "Conflict", "A duplicate, or a stale version with the current " + kind.singular());
        string(conflict, "error");
        props(conflict).set("current", ref(name));
        required(conflict, "error");
    }

    /** A field's schema from its type and its form's constraints: the same rules the forms and the API apply. */
    private static ObjectNode fieldSchema(Kind<?, ?> kind, Field<?> field) {
        ObjectNode schema = JSON.objectNode();
        schema.put("title", field.label());
        RecordComponent component = null;
        for (RecordComponent c : kind.formType().getRecordComponents()) {
            if (registry.record.Forms.snakeCase(c.getName()).equals(field.name())) {
                component = c;
            }
        }
        if (component == null) {
            throw new IllegalStateException(kind.formType().getSimpleName() + " has no component for " + field.name());
        }
        java.lang.reflect.Field declared = field(kind, component);
        YearRange years = declared.getAnnotation(YearRange.class);
        if (field.isNumber()) {
            schema.put("type", "integer");
            if (years != null) {
                schema.put("minimum", years.min()).put("maximum", Year.now().getValue() + years.yearsAhead());
            }
            return schema;
        }
        schema.put("type", "string");
        if (declared.getAnnotation(NotBlank.class) != null) {
            schema.put("minLength", 1);
        }
        Size size = declared.getAnnotation(Size.class);
        if (size != null) {
            if (size.min() > 0) {
                schema.put("minLength", size.min());
            }
            if (size.max() < Integer.MAX_VALUE) {
                schema.put("maxLength", size.max());
            }
        }
        Pattern pattern = declared.getAnnotation(Pattern.class);
        if (pattern != null) {
            // The value is trimmed before the rule applies, so spaces around it are accepted.
            schema.put("pattern", "^\\s*(?:" + pattern.regexp() + ")\\s*$");
        }
        if (declared.getAnnotation(Email.class) != null || field.inputType().equals("email")) {
            schema.put("format", "email");
        }
        if (field.isUnique()) {
            schema.put("description", "Unique ignoring case");
        }
        return schema;
    }

    /** The form record's field behind a component: Bean Validation reads a record's constraints from there. */
    private static java.lang.reflect.Field field(Kind<?, ?> kind, RecordComponent component) {
        try {
            return kind.formType().getDeclaredField(component.getName());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private void responses() {
        ObjectNode responses = ((ObjectNode) document.get("components")).putObject("responses");
        Map<String, String> said = new java.util.LinkedHashMap<>();
        said.put("400", "The request cannot be read (a body that is not one JSON object, a bad cursor, a bad Host)");
        said.put("401", "No credentials, or a token that is not valid (WWW-Authenticate: Bearer)");
        said.put("403", "The role or token does not allow it, or a write from another origin");
        said.put("404", "No such record");
        said.put("413", "The body is too large");
        said.put("415", "The body's Content-Type is not the one the operation takes");
        said.put("429", "Too many bad tokens or sign-ins from this address (Retry-After)");
        said.put("500", "Something went wrong on our side; it has been logged");
        said.put("503", "The database is unavailable or cannot be written");
        said.forEach((status, description) -> responses.putObject(status).put("description", description)
                .putObject("content").putObject("application/json").set("schema", ref("Error")));
    }

    // ---- paths

    private void recordPaths(ObjectNode paths, Kind<?, ?> kind) {
        String name = schemaName(kind);
        String base = "/api/" + kind.path();
        String tag = kind.title();
        ObjectNode list = operation(paths, base, "get", tag, "List " + kind.path() + ": search, filters, sort and pages", List.of());
        ArrayNode parameters = list.putArray("parameters");
        parameters.add(query("q", JSON.objectNode().put("type", "string"), "Finds a substring of " + kind.searchesIn() + ", ignoring case and accents"));
        parameters.add(query("sort", JSON.objectNode().put("type", "string").put("default", "id").set("enum", enumOf(kind.sortable())), "The order; an unknown one gives the default"));
        parameters.add(query("order", JSON.objectNode().put("type", "string").put("default", "asc").set("enum", enumOf(List.of("asc", "desc"))), null));
        parameters.add(query("page", JSON.objectNode().put("type", "integer").put("minimum", 1).put("default", 1), "From 1; past the end is empty"));
        parameters.add(query("size", JSON.objectNode().put("type", "integer").put("minimum", 1).put("maximum", 100).put("default", 20), "Out of range takes the nearest bound"));
        parameters.add(query("after", JSON.objectNode().put("type", "string"), "The next of an earlier answer: the page after it, in its order and filters"));
        parameters.add(query("facets", JSON.objectNode().put("type", "boolean"), "true adds the facet counts"));
        for (Filter filter : kind.filters()) {
            parameters.add(query(filter.parameter(), JSON.objectNode().put("type", "string"), filter.label() + "; a bad value is ignored"));
        }
        ok(list, "200", "A page of " + kind.path(), ref(name + "List"));

        ObjectNode create = operation(paths, base, "post", tag, "Create a " + kind.singular(), List.of("413", "415"));
        body(create, ref(name + "Input"));
        ok(create, "201", "Created; Location names it", ref(name));
        ((ObjectNode) create.get("responses").get("201")).putObject("headers").putObject("Location").putObject("schema").put("type", "string");
        ok(create, "409", "A duplicate is the only problem", ref("Error"));
        ok(create, "422", "Invalid members", ref("FieldErrors"));

        String one = base + "/{id}";
        ObjectNode show = operation(paths, one, "get", tag, "A " + kind.singular(), List.of("404"));
        ArrayNode showParameters = show.putArray("parameters").add(id("id"));
        if (includes.containsKey(kind.path())) {
            showParameters.add(query("include", JSON.objectNode().put("type", "string").set("enum", enumOf(List.copyOf(includes.get(kind.path()).keySet()))),
                    "Adds the named members (comma-separated)"));
        }
        ok(show, "200", "The " + kind.singular(), ref(name));

        ObjectNode update = operation(paths, one, "put", tag, "Update a " + kind.singular() + ": every field, and the version read", List.of("404", "413", "415"));
        update.putArray("parameters").add(id("id"));
        body(update, ref(name + "Update"));
        ok(update, "200", "The " + kind.singular() + " as updated", ref(name));
        ok(update, "409", "A stale version (with the current " + kind.singular() + ") or a duplicate", ref(name + "Conflict"));
        ok(update, "422", "Invalid members", ref("FieldErrors"));

        ObjectNode delete = operation(paths, one, "delete", tag, "Delete a " + kind.singular() + " and its " + kind.dependentsNoun() + "s (to the trash)", List.of("404"));
        delete.putArray("parameters").add(id("id")).add(query("version", JSON.objectNode().put("type", "integer"), "When given, it must be the current one"));
        ((ObjectNode) delete.get("responses")).putObject("204").put("description", "Deleted");
        ok(delete, "409", "A stale version, with the current " + kind.singular(), ref(name + "Conflict"));

        ObjectNode history = operation(paths, one + "/history", "get", "History", "A " + kind.singular() + "'s history, newest first", List.of("404"));
        history.putArray("parameters").add(id("id"));
        ok(history, "200", "Its entries", ref("History"));

        ObjectNode restore = operation(paths, one + "/history/{entry}/restore", "post", "History",
                "Give a " + kind.singular() + " the values it had right after an entry, as a new update", List.of("404", "413", "415"));
        restore.putArray("parameters").add(id("id")).add(id("entry"));
        body(restore, ref("RestoreInput"));
        ok(restore, "200", "The " + kind.singular() + " as restored", ref(name));
        ok(restore, "409", "A stale version, or a value now taken by another record", ref(name + "Conflict"));
        ok(restore, "422", "No version, or an invalid value", ref("FieldErrors"));
    }

    private void creditPaths(ObjectNode paths) {
        ObjectNode list = operation(paths, "/api/movies/{id}/credits", "get", "Credits", "A movie's credits", List.of("404"));
        list.putArray("parameters").add(id("id"));
        ok(list, "200", "Its credits", ref("MovieCredits"));
        ObjectNode add = operation(paths, "/api/movies/{id}/credits", "post", "Credits", "Credit a person on a movie", List.of("404", "413", "415"));
        add.putArray("parameters").add(id("id"));
        body(add, ref("CreditInput"));
        ok(add, "201", "Added; Location names the movie's credits", ref("MovieCredit"));
        ok(add, "409", "The person already holds that role on the movie", ref("Error"));
        ok(add, "422", "A bad role, an unknown person id, or neither person_id nor person_name", ref("FieldErrors"));
        ObjectNode remove = operation(paths, "/api/movies/{id}/credits/{person_id}/{role}", "delete", "Credits", "Remove a credit", List.of("404"));
        remove.putArray("parameters").add(id("id")).add(id("person_id")).add(JSON.objectNode().put("name", "role").put("in", "path").put("required", true)
                .set("schema", JSON.objectNode().put("type", "string").set("enum", enumOf(Role.names()))));
        ((ObjectNode) remove.get("responses")).putObject("204").put("description", "Removed");
        ObjectNode person = operation(paths, "/api/people/{id}/credits", "get", "Credits", "A person's credits, newest movie first", List.of("404"));
        person.putArray("parameters").add(id("id"));
        ok(person, "200", "Their credits", ref("PersonCredits"));
    }

    private void historyPaths(ObjectNode paths) {
        ObjectNode trash = operation(paths, "/api/trash/{entry}/restore", "post", "History",
                "Bring back a deleted record with its id and the credits deleted with it", List.of("404", "413", "415"));
        trash.putArray("parameters").add(id("entry"));
        ObjectNode any = JSON.objectNode();
        ArrayNode oneOf = any.putArray("anyOf");
        kinds.forEach(kind -> oneOf.add(ref(schemaName(kind))));
        ok(trash, "201", "The record, back; Location names it", any);
        ok(trash, "409", "A value of it is now taken by another record", ref("Error"));
        ok(trash, "422", "A value of it is no longer valid", ref("FieldErrors"));
        ObjectNode feed = operation(paths, "/api/changes", "get", "History", "Every history entry after an id, oldest first", List.of());
        feed.putArray("parameters")
                .add(query("after", JSON.objectNode().put("type", "integer").put("minimum", 0).put("default", 0), "An entry id: the entries after it"))
                .add(query("limit", JSON.objectNode().put("type", "integer").put("minimum", 1).put("maximum", 1000).put("default", 100), null));
        ok(feed, "200", "The entries, and the next call's after", ref("Feed"));
        ObjectNode stream = operation(paths, "/api/changes/stream", "get", "History",
                "Server-Sent Events: one per history entry as it is written on any instance, its id the entry's", List.of());
        stream.putArray("parameters").add(JSON.objectNode().put("name", "Last-Event-ID").put("in", "header")
                .put("description", "Resumes after that entry").set("schema", JSON.objectNode().put("type", "integer")));
        ((ObjectNode) stream.get("responses")).putObject("200").put("description", "The stream; each event's data is a HistoryEntry")
                .putObject("content").putObject("text/event-stream").putObject("schema").put("type", "string");
    }

    private void importPath(ObjectNode paths, String kind) {
        ObjectNode run = operation(paths, "/api/" + kind + "/import", "post", "Import",
                "Import " + kind + " from CSV (the export's columns), all or nothing", List.of("413", "415"));
        run.putArray("parameters").add(query("dry_run", JSON.objectNode().put("type", "boolean").put("default", false), "true only checks"));
        run.putObject("requestBody").put("required", true).putObject("content").putObject("text/csv").putObject("schema").put("type", "string");
        ok(run, "200", "Imported (or, with dry_run, would be)", ref("ImportReport"));
        ok(run, "422", "Invalid rows: nothing changed", ref("ImportReport"));
    }

    // ---- helpers

    private ObjectNode operation(ObjectNode paths, String path, String method, String tag, String summary, List<String> errors) {
        ObjectNode operation = paths.withObjectProperty(path).putObject(method);
        operation.put("operationId", operationId(method, path));
        operation.putArray("tags").add(tag);
        operation.put("summary", summary);
        ObjectNode responses = operation.putObject("responses");
        for (String status : ALWAYS) {
            responses.set(status, JSON.objectNode().put("$ref", "#/components/responses/" + status));
        }
        for (String status : errors) {
            responses.set(status, JSON.objectNode().put("$ref", "#/components/responses/" + status));
        }
        return operation;
    }

    /** "get /api/movies/{id}/credits" → "getMoviesIdCredits": what a generated client names its methods. */
    private static String operationId(String method, String path) {
        StringBuilder id = new StringBuilder(method);
        for (String part : path.replace("/api/", "").split("[/{}._-]+")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }

    private static void ok(ObjectNode operation, String status, String description, ObjectNode schema) {
        ((ObjectNode) operation.get("responses")).putObject(status).put("description", description)
                .putObject("content").putObject("application/json").set("schema", schema);
    }

    private static void body(ObjectNode operation, ObjectNode schema) {
        operation.putObject("requestBody").put("required", true).putObject("content").putObject("application/json").set("schema", schema);
    }

    private static ObjectNode query(String name, ObjectNode schema, String description) {
        ObjectNode parameter = JSON.objectNode().put("name", name).put("in", "query");
        if (description != null) {
            parameter.put("description", description);
        }
        parameter.set("schema", schema);
        return parameter;
    }

    private static ObjectNode id(String name) {
        return JSON.objectNode().put("name", name).put("in", "path").put("required", true)
                .set("schema", JSON.objectNode().put("type", "integer").put("format", "int64"));
    }

    private static ObjectNode requirement(String scheme) {
        ObjectNode requirement = JSON.objectNode();
        requirement.putArray(scheme);
        return requirement;
    }

    private static ObjectNode ref(String schema) {
        return JSON.objectNode().put("$ref", "#/components/schemas/" + schema);
    }

    /** "movies" → "Movie": the kind's title made singular the way its own declaration says. */
    static String schemaName(Kind<?, ?> kind) {
        return Character.toUpperCase(kind.singular().charAt(0)) + kind.singular().substring(1);
    }

    private static ObjectNode object(ObjectNode schemas, String name, String description) {
        ObjectNode schema = schemas.putObject(name).put("type", "object").put("description", description);
        schema.putObject("properties");
        schema.put("additionalProperties", false);
        return schema;
    }

    private static ObjectNode listOf(ObjectNode schemas, String name, String item) {
        ObjectNode list = object(schemas, name, "A list of " + item);
        props(list).putObject("items").put("type", "array").set("items", ref(item));
        list.putArray("required").add("items");
        return list;
    }

    private static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    private static void string(ObjectNode schema, String name) {
        props(schema).putObject(name).put("type", "string");
    }

    private static void integer(ObjectNode schema, String name) {
        props(schema).putObject(name).put("type", "integer").put("format", "int64");
    }

    private static void dateTime(ObjectNode schema, String name) {
        props(schema).putObject(name).put("type", "string").put("format", "date-time");
    }

    private static void roleProperty(ObjectNode schema, String name) {
        props(schema).putObject(name).put("type", "string").set("enum", enumOf(Role.names()));
    }

    private static void required(ObjectNode schema, String... names) {
        ArrayNode required = schema.withArray("required");
        for (String name : names) {
            required.add(name);
        }
    }

    private static void nullable(ObjectNode property) {
        String type = property.get("type").asText();
        property.putArray("type").add(type).add("null");
    }

    private static ArrayNode enumOf(List<String> values) {
        ArrayNode array = JSON.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
