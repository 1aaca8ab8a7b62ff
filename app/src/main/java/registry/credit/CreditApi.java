package registry.credit;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Map;
import registry.db.Database;
import registry.person.People;
import registry.record.FieldErrors;
import registry.web.Json;
import registry.record.Outcome;
import registry.web.Access;
import registry.web.Params;

/** Credits over the JSON API: a movie's, which it adds and removes, and a person's (their filmography). */
public final class CreditApi {
    /** What a credit to add may carry: a person by id or by name, and a role. */
    public static final List<String> MEMBERS = List.of("person_id", "person_name", "role");

    private final Credits credits;
    private final People people;

    public CreditApi(Database database, People people) {
        this.credits = new Credits(database);
        this.people = people;
    }

    public void routes(RoutesConfig routes) {
        routes.get("/api/movies/{id}/credits", this::list);
        routes.get("/api/people/{id}/credits", this::filmography);
        routes.post("/api/movies/{id}/credits", this::add);
        routes.delete("/api/movies/{id}/credits/{person_id}/{role}", this::remove);
    }

    private List<Credit> existing(long movieId) {
        return credits.of(movieId).orElseThrow(() -> new NotFoundResponse("No movie with id " + movieId));
    }

    private void list(Context ctx) {
        ctx.json(Map.of("items", existing(Params.id(ctx, "movie"))));
    }

    private void filmography(Context ctx) {
        long id = Params.id(ctx, "person");
        ctx.json(Map.of("items", people.credits(id).orElseThrow(() -> new NotFoundResponse("No person with id " + id))));
    }

    /** A movie's credits, as {@code ?include=credits} adds them to it; none for an unknown movie. */
    public List<Credit> ofMovie(long id) {
        return credits.of(id).orElse(List.of());
    }

    /** A person's credits, as {@code ?include=credits} adds them to them; none for an unknown person. */
    public List<People.Credit> ofPerson(long id) {
        return people.credits(id).orElse(List.of());
    }

    private void add(Context ctx) {
        long id = Params.id(ctx, "movie");
        existing(id);
        Json json = Json.body(ctx).only(MEMBERS, "a credit");
        CreditForm form = CreditForm.from(json);
        FieldErrors errors = form.validate(json.validate(form));
        Outcome<Credits.Added> outcome = errors.isEmpty() ? credits.add(id, form, Access.actor(ctx)) : new Outcome.Invalid<>(errors, false);
        if (outcome instanceof Outcome.Done<Credits.Added> done) {
            ctx.header("Location", "/api/movies/" + id + "/credits");
            ctx.status(201).json(done.value().credit());
        } else if (outcome instanceof Outcome.Invalid<Credits.Added> invalid && invalid.duplicate()) {
            ctx.status(409).json(Map.of("error", invalid.errors().ordered().values().iterator().next().get(0)));
        } else if (outcome instanceof Outcome.Invalid<Credits.Added> invalid) {
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
