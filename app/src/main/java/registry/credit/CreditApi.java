package registry.credit;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Map;
import registry.db.Database;
import registry.record.FieldErrors;
import registry.web.Json;
import registry.record.Outcome;
import registry.web.Access;
import registry.web.Params;

/** A movie's credits over the JSON API. */
public final class CreditApi {
    private final Credits credits;

    public CreditApi(Database database) {
        this.credits = new Credits(database);
    }

    public void routes(RoutesConfig routes) {
        routes.get("/api/movies/{id}/credits", this::list);
        routes.post("/api/movies/{id}/credits", this::add);
        routes.delete("/api/movies/{id}/credits/{person_id}/{role}", this::remove);
    }

    private List<Credit> existing(long movieId) {
        return credits.of(movieId).orElseThrow(() -> new NotFoundResponse("No movie with id " + movieId));
    }

    private void list(Context ctx) {
        ctx.json(Map.of("items", existing(Params.id(ctx, "movie"))));
    }

    private void add(Context ctx) {
        long id = Params.id(ctx, "movie");
        existing(id);
        Json json = Json.body(ctx);
        CreditForm form = CreditForm.from(json);
        FieldErrors errors = json.validate(form);
        Outcome<Credit> outcome = errors.isEmpty() ? credits.add(id, form, Access.actor(ctx)) : new Outcome.Invalid<>(errors, false);
        if (outcome instanceof Outcome.Done<Credit> done) {
            ctx.header("Location", "/api/movies/" + id + "/credits");
            ctx.status(201).json(done.value());
        } else if (outcome instanceof Outcome.Invalid<Credit> invalid && invalid.duplicate()) {
            ctx.status(409).json(Map.of("error", invalid.errors().ordered().values().iterator().next().get(0)));
        } else if (outcome instanceof Outcome.Invalid<Credit> invalid) {
            ctx.status(422).json(Map.of("errors", invalid.errors().ordered()));
        } else {
            throw new NotFoundResponse("No movie with id " + id);
        }
    }

    private void remove(Context ctx) {
        long id = Params.id(ctx, "movie");
        String role = ctx.pathParam("role");
        if (Role.of(role).isEmpty() || !credits.remove(id, Params.id(ctx, "person_id", "person"), role, Access.actor(ctx))) {
            throw new NotFoundResponse("No such credit on movie " + id);
        }
        ctx.status(204);
    }
}
