package registry.user;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.HashMap;
import java.util.Map;
import registry.db.Database;
import registry.web.FieldErrors;
import registry.web.Flash;
import registry.web.Forms;
import registry.web.ListQuery;
import registry.web.Outcome;
import registry.web.Pages;
import registry.web.Params;

/** The users pages: list with create form, show, edit, delete with confirmation. */
public final class UserPages {
    private final Users users;
    private final Pages pages;
    private final Flash flash;

    public UserPages(Database database, Pages pages, Flash flash) {
        this.users = new Users(database);
        this.pages = pages;
        this.flash = flash;
    }

    public void routes(RoutesConfig routes) {
        routes.get("/users", this::list);
        routes.post("/users", this::create);
        routes.get("/users/{id}", this::show);
        routes.get("/users/{id}/edit", this::edit);
        routes.post("/users/{id}", this::update);
        routes.get("/users/{id}/delete", this::confirmDelete);
        routes.post("/users/{id}/delete", this::delete);
    }

    private void list(Context ctx) {
        renderList(ctx, 200, UserForm.EMPTY, new FieldErrors());
    }

    private void create(Context ctx) {
        UserForm form = UserForm.from(ctx);
        FieldErrors errors = Forms.validate(form);
        Outcome<User> outcome = errors.isEmpty() ? users.create(form) : new Outcome.Invalid<>(errors, false);
        if (outcome instanceof Outcome.Done<User> done) {
            flash.set(ctx, "Created user " + done.value().username() + ".");
            ctx.redirect("/users/" + done.value().id(), HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Invalid<User> invalid) {
            renderList(ctx, 422, form, invalid.errors());
        }
    }

    private void renderList(Context ctx, int status, UserForm form, FieldErrors errors) {
        ListQuery query = ListQuery.from(ctx, Users.SORTABLE);
        pages.render(ctx, status, "users/list", Map.of("page", users.list(query), "form", form, "errors", errors));
    }

    private void show(Context ctx) {
        pages.render(ctx, "users/show", Map.of("user", existing(ctx)));
    }

    private void edit(Context ctx) {
        User user = existing(ctx);
        renderEdit(ctx, 200, user.id(), user.version(), UserForm.of(user), new FieldErrors(), null);
    }

    private void update(Context ctx) {
        long id = Params.id(ctx, "user");
        long version = requiredVersion(ctx);
        UserForm form = UserForm.from(ctx);
        FieldErrors errors = Forms.validate(form);
        Outcome<User> outcome = errors.isEmpty() ? users.update(id, version, form) : new Outcome.Invalid<>(errors, false);
        if (outcome instanceof Outcome.Done<User> done) {
            flash.set(ctx, "Saved user " + done.value().username() + ".");
            ctx.redirect("/users/" + id, HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Invalid<User> invalid) {
            renderEdit(ctx, 422, id, version, form, invalid.errors(), null);
        } else if (outcome instanceof Outcome.Stale<User> stale) {
            renderEdit(ctx, 409, id, stale.current().version(), form, new FieldErrors(), stale.current());
        } else {
            throw notFound(id);
        }
    }

    /** The edit form; with {@code current}, the 409 page showing what someone else saved meanwhile. */
    private void renderEdit(Context ctx, int status, long id, long version, UserForm form, FieldErrors errors, User current) {
        Map<String, Object> model = new HashMap<>(Map.of("id", id, "version", version, "form", form, "errors", errors));
        if (current != null) {
            model.put("current", current);
        }
        pages.render(ctx, status, "users/edit", model);
    }

    private void confirmDelete(Context ctx) {
        pages.render(ctx, "users/delete", Map.of("user", existing(ctx)));
    }

    private void delete(Context ctx) {
        long id = Params.id(ctx, "user");
        Outcome<User> outcome = users.delete(id, requiredVersion(ctx));
        if (outcome instanceof Outcome.Done<User> done) {
            flash.set(ctx, "Deleted user " + done.value().username() + ".");
            ctx.redirect("/users", HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Stale<User> stale) {
            pages.render(ctx, 409, "users/delete", Map.of("user", stale.current(), "stale", true));
        } else {
            throw notFound(id);
        }
    }

    private User existing(Context ctx) {
        long id = Params.id(ctx, "user");
        return users.find(id).orElseThrow(() -> notFound(id));
    }

    private static long requiredVersion(Context ctx) {
        Long version = Params.version(ctx.formParam("version"));
        if (version == null) {
            throw new BadRequestResponse("The form has no version; reload the page and try again");
        }
        return version;
    }

    private static NotFoundResponse notFound(long id) {
        return new NotFoundResponse("No user with id " + id);
    }
}
