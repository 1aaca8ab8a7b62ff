package registry.web;

import registry.record.FieldErrors;
import registry.record.Forms;
import registry.record.Outcome;
import registry.record.Kind;
import registry.record.ListQuery;
import registry.record.Records;
import registry.record.Row;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTML pages of one kind of record, the same for every kind: list with the create form, show,
 * edit, delete with a confirmation, CSV export. The templates ({@code records/*.peb}) draw the
 * table, forms and summaries from the kind's declared fields; a kind with more to show on a
 * record's page (a movie's credits) adds {@code <kind>/more.peb} and its model through {@link Extras}.
 */
public final class RecordPages<R extends Record & Row, F extends Record> {
    /** What a kind adds to its record's page (a movie's credits, say). */
    public interface Extras<R> {
        Map<String, Object> model(Context ctx, R record);
    }

    private final Records<R, F> records;
    private final Kind<R, F> kind;
    private final Pages pages;
    private final Flash flash;
    private final Extras<R> extras;
    private final String base;

    public RecordPages(Records<R, F> records, Pages pages, Flash flash, Extras<R> extras) {
        this.records = records;
        this.kind = records.kind();
        this.pages = pages;
        this.flash = flash;
        this.extras = extras;
        this.base = "/" + kind.path();
    }

    public RecordPages(Records<R, F> records, Pages pages, Flash flash) {
        this(records, pages, flash, (ctx, record) -> Map.of());
    }

    public void routes(RoutesConfig routes) {
        routes.get(base, this::list);
        routes.post(base, this::create);
        routes.get(base + ".csv", ctx -> CsvExport.write(ctx, records));
        routes.get(base + "/{id}", this::show);
        routes.get(base + "/{id}/edit", this::edit);
        routes.post(base + "/{id}", this::update);
        routes.get(base + "/{id}/delete", this::confirmDelete);
        routes.post(base + "/{id}/delete", this::delete);
    }

    private Map<String, Object> model(Object... pairs) {
        Map<String, Object> model = new HashMap<>();
        model.put("kind", kind);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                model.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return model;
    }

    private void list(Context ctx) {
        renderList(ctx, 200, kind.emptyForm(), new FieldErrors());
    }

    private void create(Context ctx) {
        F form = kind.form(field -> Params.field(ctx, field.name()));
        FieldErrors errors = Forms.validate(form);
        Outcome<R> outcome = errors.isEmpty() ? records.create(form, Access.actor(ctx)) : records.refused(form, 0, errors);
        if (outcome instanceof Outcome.Done<R> done) {
            flash.set(ctx, "Created " + kind.singular() + " " + kind.label(done.value()) + ".");
            ctx.redirect(base + "/" + kind.id(done.value()), HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Invalid<R> invalid) {
            renderList(ctx, 422, form, invalid.errors());
        }
    }

    /**
     * The list: the create form (the caller's, with its form token) around a page of records and
     * its facets, which is the same for every reader who may (or may not) edit, and is made once
     * per data version for each view.
     */
    private void renderList(Context ctx, int status, F form, FieldErrors errors) {
        ListQuery query = records.query(ctx::queryParam);
        boolean canEdit = pages.canEdit(ctx);
        String listing = records.shown(query, canEdit ? "editor" : "reader",
                page -> pages.part("records/listing", model("page", page, "facets", page.facets(), "canEdit", canEdit)));
        if (status == 200 && errors.isEmpty()) { // the empty create form: the same for every reader of the kind
            pages.render(ctx, "records/list", model("form", form, "errors", errors), kind.path(), "listing", listing);
        } else {
            pages.render(ctx, status, "records/list", model("listing", listing, "form", form, "errors", errors));
        }
    }

    private void show(Context ctx) {
        R record = existing(ctx);
        Map<String, Object> model = model("record", record);
        model.putAll(extras.model(ctx, record));
        pages.render(ctx, "records/show", model);
    }

    private void edit(Context ctx) {
        R record = existing(ctx);
        renderEdit(ctx, 200, record, kind.version(record), kind.form(record), new FieldErrors(), null);
    }

    private void update(Context ctx) {
        long id = Params.id(ctx, kind.singular());
        long version = requiredVersion(ctx);
        F form = kind.form(field -> Params.field(ctx, field.name()));
        FieldErrors errors = Forms.validate(form);
        Outcome<R> outcome = errors.isEmpty() ? records.update(id, version, form, Access.actor(ctx)) : records.refused(form, id, errors);
        if (outcome instanceof Outcome.Done<R> done) {
            flash.set(ctx, "Saved " + kind.singular() + " " + kind.label(done.value()) + ".");
            ctx.redirect(base + "/" + id, HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Invalid<R> invalid) {
            renderEdit(ctx, 422, records.find(id).orElseThrow(() -> notFound(id)), version, form, invalid.errors(), null);
        } else if (outcome instanceof Outcome.Stale<R> stale) {
            renderEdit(ctx, 409, stale.current(), kind.version(stale.current()), form, new FieldErrors(), stale.current());
        } else {
            throw notFound(id);
        }
    }

    /**
     * The edit form of {@code stored} (its breadcrumb names the record as saved, not as typed); with
     * {@code current}, the 409 page showing what someone else saved meanwhile.
     */
    private void renderEdit(Context ctx, int status, R stored, long version, F form, FieldErrors errors, R current) {
        pages.render(ctx, status, "records/edit", model("id", kind.id(stored), "label", kind.label(stored), "version", version,
                "form", form, "errors", errors, "current", current));
    }

    /** The confirmation, saying how many dependent rows (a movie's credits) the delete would take with it. */
    private void confirmDelete(Context ctx) {
        R record = existing(ctx);
        pages.render(ctx, "records/delete", model("record", record, "dependents", records.dependents(kind.id(record))));
    }

    private void delete(Context ctx) {
        long id = Params.id(ctx, kind.singular());
        Outcome<R> outcome = records.delete(id, requiredVersion(ctx), Access.actor(ctx));
        if (outcome instanceof Outcome.Done<R> done) {
            int n = done.cascaded();
            String cascaded = n == 0 ? "" : " and its " + n + " " + kind.dependentsNoun() + (n == 1 ? "" : "s");
            flash.set(ctx, "Deleted " + kind.singular() + " " + kind.label(done.value()) + cascaded + ".");
            ctx.redirect(base, HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Stale<R> stale) {
            pages.render(ctx, 409, "records/delete", model("record", stale.current(), "stale", true, "dependents", records.dependents(id)));
        } else {
            throw notFound(id);
        }
    }

    private R existing(Context ctx) {
        long id = Params.id(ctx, kind.singular());
        return records.find(id).orElseThrow(() -> notFound(id));
    }

    private static long requiredVersion(Context ctx) {
        Long version = Params.version(ctx.formParam("version"));
        if (version == null) {
            throw new BadRequestResponse("The form has no version; reload the page and try again");
        }
        return version;
    }

    private NotFoundResponse notFound(long id) {
        return new NotFoundResponse("No " + kind.singular() + " with id " + id);
    }
}
