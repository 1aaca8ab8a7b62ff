package registry.web;

import registry.record.FieldErrors;
import registry.record.Outcome;
import registry.record.Kind;
import registry.record.Page;
import registry.record.Records;
import registry.record.Row;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON API of one kind of record: the same form, rules and operations as its pages. */
public final class RecordApi<R extends Record & Row, F extends Record> {
    private final Records<R, F> records;
    private final Kind<R, F> kind;
    private final String base;

    public RecordApi(Records<R, F> records) {
        this.records = records;
        this.kind = records.kind();
        this.base = "/api/" + kind.path();
    }

    public void routes(RoutesConfig routes) {
        routes.get(base, this::list);
        routes.post(base, this::create);
        routes.get(base + "/{id}", this::show);
        routes.put(base + "/{id}", this::update);
        routes.delete(base + "/{id}", this::delete);
    }

    private void list(Context ctx) {
        Page<R> page = records.list(records.query(ctx::queryParam));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("page", page.query().page());
        body.put("size", page.query().size());
        body.put("total", page.total());
        ctx.json(body);
    }

    private void show(Context ctx) {
        long id = Params.id(ctx, kind.singular());
        ctx.json(records.find(id).orElseThrow(() -> notFound(id)));
    }

    private void create(Context ctx) {
        Json json = Json.body(ctx);
        F form = form(json);
        FieldErrors errors = json.validate(form);
        Outcome<R> outcome = errors.isEmpty() ? records.create(form, Access.actor(ctx)) : new Outcome.Invalid<>(errors, false);
        if (outcome instanceof Outcome.Done<R> done) {
            ctx.header("Location", base + "/" + kind.id(done.value()));
            ctx.status(201).json(done.value());
        } else {
            refuse(ctx, outcome, 0);
        }
    }

    private void update(Context ctx) {
        long id = Params.id(ctx, kind.singular());
        Json json = Json.body(ctx);
        F form = form(json);
        Long version = json.whole("version");
        FieldErrors errors = json.validate(form);
        if (version == null && !errors.has("version")) {
            errors.add("version", "version is required: send the version you read");
        }
        Outcome<R> outcome = errors.isEmpty() ? records.update(id, version, form, Access.actor(ctx)) : new Outcome.Invalid<>(errors, false);
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
            ctx.status(409).json(Map.of("error", invalid.errors().ordered().values().iterator().next().get(0)));
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
