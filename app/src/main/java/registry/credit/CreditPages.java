package registry.credit;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import registry.db.Database;
import registry.movie.Movie;
import registry.person.People;
import registry.person.Person;
import registry.record.FieldErrors;
import registry.record.Forms;
import registry.web.Flash;
import registry.record.Records;
import registry.record.Outcome;
import registry.web.Pages;
import registry.web.Access;
import registry.web.CsvExport;
import registry.web.Params;

/** A movie's credits on its page: the list, the form to add one, a link to remove each (after a confirmation). */
public final class CreditPages {
    private final Credits credits;
    private final Records<Movie, ?> movies;
    private final Records<Person, ?> people;
    private final People pick;
    private final Pages pages;
    private final Flash flash;

    public CreditPages(Database database, Records<Movie, ?> movies, Records<Person, ?> people, People pick, Pages pages, Flash flash) {
        this.credits = new Credits(database);
        this.movies = movies;
        this.people = people;
        this.pick = pick;
        this.pages = pages;
        this.flash = flash;
    }

    public void routes(RoutesConfig routes) {
        routes.post("/movies/{id}/credits", this::add);
        routes.get("/movies/{id}/credits/{person_id}/{role}/delete", this::confirmRemove);
        routes.post("/movies/{id}/credits/{person_id}/{role}/delete", this::remove);
        routes.get("/credits.csv", ctx -> CsvExport.write(ctx, "credits.csv", Credits.EXPORT_COLUMNS, credits::export));
    }

    /** What a movie's page shows below the movie. */
    public Map<String, Object> extras(Context ctx, Movie movie) {
        return extras(ctx, movie, CreditForm.EMPTY, new FieldErrors());
    }

    /**
     * The credits (one query, joined to people) and the form to add one. The person is picked
     * from a select of everyone while there are at most {@link People#PICK_LIMIT}; past that the
     * page asks for part of a name ({@code person_q}) and offers the matches.
     */
    private Map<String, Object> extras(Context ctx, Movie movie, CreditForm form, FieldErrors errors) {
        String personQuery = Forms.clean(ctx.queryParam("person_q"));
        List<Person> found = pick.pick(personQuery == null ? "" : personQuery);
        boolean tooMany = found.size() > People.PICK_LIMIT;
        List<Person> choices = new ArrayList<>(tooMany ? found.subList(0, People.PICK_LIMIT) : found);
        // A form sent back with its errors keeps the person chosen, even one outside this list.
        if (form.personId().matches("\\d{1,18}") && choices.stream().noneMatch(p -> form.picks(p.id()))) {
            people.find(form.person()).ifPresent(chosen -> choices.add(0, chosen));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("more", true);
        model.put("credits", credits.of(movie.id()).orElse(List.of()));
        model.put("creditForm", form);
        model.put("creditErrors", errors);
        model.put("choices", choices);
        model.put("tooMany", tooMany);
        model.put("personQuery", personQuery == null ? "" : personQuery);
        model.put("roles", Arrays.stream(Role.values()).map(Role::toString).toList());
        return model;
    }

    private void add(Context ctx) {
        long id = Params.id(ctx, "movie");
        Movie movie = movies.find(id).orElseThrow(() -> new NotFoundResponse("No movie with id " + id));
        CreditForm form = CreditForm.from(ctx);
        FieldErrors errors = form.validate(Forms.validate(form));
        Outcome<Credits.Added> outcome = errors.isEmpty() ? credits.add(id, form, Access.actor(ctx)) : new Outcome.Invalid<>(errors, false);
        if (outcome instanceof Outcome.Done<Credits.Added> done) {
            Credit credit = done.value().credit();
            flash.set(ctx, "Added " + credit.personName() + (done.value().newPerson() ? " (new person)" : "") + " as " + credit.role() + ".");
            ctx.redirect("/movies/" + id, HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Invalid<Credits.Added> invalid) {
            Map<String, Object> model = new HashMap<>(extras(ctx, movie, form, invalid.errors()));
            model.put("kind", movies.kind());
            model.put("record", movie);
            pages.render(ctx, 422, "records/show", model);
        } else {
            throw new NotFoundResponse("No movie with id " + id);
        }
    }

    /** Asks before a credit goes, as a record's delete page does; its form posts to {@link #remove}. */
    private void confirmRemove(Context ctx) {
        long id = Params.id(ctx, "movie");
        CreditDao.Named credit = credits.find(id, Params.id(ctx, "person_id", "person"), ctx.pathParam("role"))
                .orElseThrow(() -> new NotFoundResponse("No such credit on movie " + id));
        pages.render(ctx, "movies/credits/delete", Map.of("credit", credit));
    }

    private void remove(Context ctx) {
        long id = Params.id(ctx, "movie");
        long personId = Params.id(ctx, "person_id", "person");
        String role = ctx.pathParam("role");
        if (Role.of(role).isEmpty() || !credits.remove(id, personId, role, Access.actor(ctx))) {
            throw new NotFoundResponse("No such credit on movie " + id);
        }
        flash.set(ctx, "Removed the " + role + " credit.");
        ctx.redirect("/movies/" + id, HttpStatus.SEE_OTHER);
    }
}
