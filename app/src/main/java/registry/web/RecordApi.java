package registry.web;

import registry.record.FieldErrors;
import registry.record.Outcome;
import registry.record.Kind;
import registry.record.Page;
import registry.record.Records;
import registry.record.Row;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * The JSON API of one kind of record: the same form, rules and operations as its pages. A kind
 * with more to say of a record on request (a movie's credits) says it through its includes.
 */
public final class RecordApi<R extends Record & Row, F extends Record> {
    private final Records<R, F> records;
    private final Kind<R, F> kind;
    private final String base;
    /** What {@code ?include=NAME} adds to a record's JSON, by name: the member's value for the record's id. */
    private final Map<String, LongFunction<?>> includes;

    /**
     * @param includes what {@code GET /api/<kind>/{id}?include=NAME} may add to a record, as the member
     *                 {@code NAME}: its value for the record's id, read at once (one query, not one per item)
     */
    public RecordApi(Records<R, F> records, Map<String, LongFunction<?>> includes) {
        this.records = records;
        this.kind = records.kind();
        this.base = "/api/" + kind.path();
        this.includes = Map.copyOf(includes);
    }

    public void routes(RoutesConfig routes) {
        routes.get(base, this::list);
        routes.post(base, this::create);
        routes.get(base + "/{id}", this::show);
        routes.put(base + "/{id}", this::update);
        routes.delete(base + "/{id}", this::delete);
    }

    /**
     * A page by number, or with {@code after} the page after a cursor that an earlier answer gave as
     * {@code next} (400 when it is not one); {@code facets=true} adds the facet counts.
     */
    private void list(Context ctx) {
        String after = ctx.queryParam("after");
        boolean withFacets = "true".equalsIgnoreCase(ctx.queryParam("facets"));
        Page<R> page = after == null ? records.list(records.query(ctx::queryParam), withFacets)
                : records.after(after, withFacets).orElseThrow(() -> new BadRequestResponse("after is not a cursor of this list: send the next of an earlier answer"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("page", after == null ? page.query().page() : null);
        body.put("size", page.query().size());
        body.put("total", page.total());
        body.put("next", page.next());
        if (withFacets) {
            body.put("facets", page.facets());
        }
        ctx.json(body);
    }

    private void show(Context ctx) {
        long id = Params.id(ctx, kind.singular());
        R record = records.find(id).orElseThrow(() -> notFound(id));
        List<String> asked = included(ctx.queryParam("include"));
        if (asked.isEmpty()) {
            ctx.json(record);
            return;
        }
        ObjectNode body = Json.MAPPER.valueToTree(record);
        asked.forEach(name -> body.set(name, Json.MAPPER.valueToTree(includes.get(name).apply(id))));
        ctx.json(body);
    }

    /** The names of {@code include} (comma-separated) that the kind offers; another is ignored, as an unknown sort is. */
    private List<String> included(String include) {
        return include == null ? List.of()
                : Arrays.stream(include.split(",")).map(String::strip).filter(includes::containsKey).distinct().toList();
    }

    private void create(Context ctx) {
        Json json = Json.body(ctx).only(kind.jsonMembers(), "a " + kind.singular());
        F form = form(json);
        FieldErrors errors = json.validate(form);
        Outcome<R> outcome = errors.isEmpty() ? records.create(form, Access.actor(ctx)) : records.refused(form, 0, errors);
        if (outcome instanceof Outcome.Done<R> done) {
            ctx.header("Location", base + "/" + kind.id(done.value()));
            ctx.status(201).json(done.value());
        } else {
            refuse(ctx, outcome, 0);
        }
    }

    private void update(Context ctx) {
        long id = Params.id(ctx, kind.singular());
        Json json = Json.body(ctx).only(kind.jsonMembers(), "a " + kind.singular());
        F form = form(json);
        Long version = json.whole("version");
        FieldErrors errors = json.validate(form);
        if (version == null && !errors.has("version")) {
            errors.add("version", "version is required: send the version you read");
        }
        Outcome<R> outcome = errors.isEmpty() ? records.update(id, version, form, Access.actor(ctx)) : records.refused(form, id, errors);
        if (outcome instanceof Outcome.Done<R> done) {
            ctx.json(done.value());
        } else {
            refuse(ctx, outcome, id);
        }
    }

    private void delete(Context ctx) {
        long id = Params.id(ctx, kind.singular());
        Outcome<R> outcome = records.delete(id, Params.version(ctx.queryParam("version")), Access.actor(ctx));
        if (outcome instanceof Outcome.Done<R>) {
            ctx.status(204);
        } else {
            refuse(ctx, outcome, id);
        }
    }

    /** The form from a JSON body: each field as text, a year member as a whole number. */
    private F form(Json json) {
        return kind.form(field -> field.isNumber() ? json.wholeAsText(field.name()) : json.text(field.name()));
    }

    /** The answer to a change that was not made: 422, 409 or 404. */
    private void refuse(Context ctx, Outcome<R> outcome, long id) {
        if (outcome instanceof Outcome.Invalid<R> invalid && invalid.duplicate()) {
            // Duplicates only: 409, every taken value said in its one message.
            String all = invalid.errors().ordered().values().stream().flatMap(List::stream).collect(Collectors.joining("; "));
            ctx.status(409).json(Map.of("error", all));
        } else if (outcome instanceof Outcome.Invalid<R> invalid) {
            ctx.status(422).json(Map.of("errors", invalid.errors().ordered()));
        } else if (outcome instanceof Outcome.Stale<R> stale) {
            ctx.status(409).json(Map.of("error", "version is stale: the " + kind.singular() + " was changed since you read it",
                    "current", stale.current()));
        } else {
            throw notFound(id);
        }
    }

    private NotFoundResponse notFound(long id) {
        return new NotFoundResponse("No " + kind.singular() + " with id " + id);
    }
}
