package registry.user;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import registry.db.Database;
import registry.web.FieldErrors;
import registry.web.Json;
import registry.web.ListQuery;
import registry.web.Outcome;
import registry.web.Page;
import registry.web.Params;

/** The users JSON API: the same form, rules and operations as the pages. */
public final class UserApi {
    private final Users users;

    public UserApi(Database database) {
        this.users = new Users(database);
    }

    public void routes(RoutesConfig routes) {
        routes.get("/api/users", this::list);
        routes.post("/api/users", this::create);
        routes.get("/api/users/{id}", this::show);
        routes.put("/api/users/{id}", this::update);
        routes.delete("/api/users/{id}", this::delete);
    }

    private void list(Context ctx) {
        Page<User> page = users.list(ListQuery.from(ctx, Users.SORTABLE));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("page", page.query().page());
        body.put("size", page.query().size());
        body.put("total", page.total());
        ctx.json(body);
    }

    private void show(Context ctx) {
        long id = Params.id(ctx, "user");
        ctx.json(users.find(id).orElseThrow(() -> notFound(id)));
    }

    private void create(Context ctx) {
        Json json = Json.body(ctx);
        UserForm form = UserForm.from(json);
        FieldErrors errors = json.validate(form);
        Outcome<User> outcome = errors.isEmpty() ? users.create(form) : new Outcome.Invalid<>(errors, false);
        if (outcome instanceof Outcome.Done<User> done) {
            ctx.header("Location", "/api/users/" + done.value().id());
            ctx.status(201).json(done.value());
        } else {
            refuse(ctx, outcome, 0);
        }
    }

    private void update(Context ctx) {
        long id = Params.id(ctx, "user");
        Json json = Json.body(ctx);
        UserForm form = UserForm.from(json);
        Long version = json.whole("version");
        FieldErrors errors = json.validate(form);
        if (version == null && !errors.has("version")) {
            errors.add("version", "version is required: send the version you read");
        }
        Outcome<User> outcome = errors.isEmpty() ? users.update(id, version, form) : new Outcome.Invalid<>(errors, false);
        if (outcome instanceof Outcome.Done<User> done) {
            ctx.json(done.value());
        } else {
            refuse(ctx, outcome, id);
        }
    }

    private void delete(Context ctx) {
        long id = Params.id(ctx, "user");
        Outcome<User> outcome = users.delete(id, Params.version(ctx.queryParam("version")));
        if (outcome instanceof Outcome.Done<User>) {
            ctx.status(204);
        } else {
            refuse(ctx, outcome, id);
        }
    }

    /** The answer to a change that was not made: 422, 409 or 404. */
    private static void refuse(Context ctx, Outcome<User> outcome, long id) {
        if (outcome instanceof Outcome.Invalid<User> invalid && invalid.duplicate()) {
            ctx.status(409).json(Map.of("error", invalid.errors().ordered().values().iterator().next().get(0)));
        } else if (outcome instanceof Outcome.Invalid<User> invalid) {
            ctx.status(422).json(Map.of("errors", invalid.errors().ordered()));
        } else if (outcome instanceof Outcome.Stale<User> stale) {
            ctx.status(409).json(Map.of("error", "version is stale: the user was changed since you read it", "current", stale.current()));
        } else {
            throw notFound(id);
        }
    }

    private static NotFoundResponse notFound(long id) {
        return new NotFoundResponse("No user with id " + id);
    }
}
