package registry.history;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import registry.record.Kind;
import registry.record.FieldErrors;
import registry.record.Outcome;
import registry.record.Restores;
import registry.record.Row;
import registry.web.Access;
import registry.web.Flash;
import registry.web.Json;
import registry.web.Pages;
import registry.web.Params;

/**
 * Restores (SPEC "History and trash"): an earlier version of a record, after a confirmation page
 * that shows the values it will take; and the trash, the deleted records not restored since, each
 * of which can come back with its id and the credits deleted with it.
 */
public final class RestoreWeb {
    /** The trash shows this many deletions a page, newest first. */
    static final int TRASH_SHOWN = 50;

    private final History history;
    private final Pages pages;
    private final Flash flash;
    private final Map<String, Restores<?, ?>> byKind = new LinkedHashMap<>();

    public RestoreWeb(History history, Pages pages, Flash flash, List<Restores<?, ?>> restores) {
        this.history = history;
        this.pages = pages;
        this.flash = flash;
        restores.forEach(r -> byKind.put(r.kind().path(), r));
    }

    public void routes(RoutesConfig routes) {
        for (Restores<?, ?> restores : byKind.values()) {
            String path = "/" + restores.kind().path() + "/{id}/history/{entry}/restore";
            routes.get(path, ctx -> confirm(ctx, restores, 200, null));
            routes.post(path, ctx -> restoreVersion(ctx, restores));
            routes.post("/api" + path, ctx -> restoreVersionApi(ctx, restores));
        }
        routes.get("/trash", ctx -> trash(ctx, 200, null));
        routes.post("/trash/{entry}/restore", this::restoreDeleted);
        routes.post("/api/trash/{entry}/restore", this::restoreDeletedApi);
    }

    /** The confirmation: what each field will be, beside what it is now. */
    private <R extends Record & Row, F extends Record> void confirm(Context ctx, Restores<R, F> restores, int status, String message) {
        Kind<R, F> kind = restores.kind();
        long id = Params.id(ctx, kind.singular());
        long entry = Params.id(ctx, "entry", "change");
        R current = restores.find(id).orElseThrow(() -> new NotFoundResponse("No " + kind.singular() + " with id " + id));
        F form = restores.asOf(id, entry).orElseThrow(() -> new NotFoundResponse("Change " + entry + " is not one of this " + kind.singular() + "'s"));
        Map<String, Object> model = new HashMap<>();
        model.put("kind", kind);
        model.put("record", current);
        model.put("current", kind.form(current));
        model.put("form", form);
        model.put("entry", entry);
        if (message != null) {
            model.put("message", message);
        }
        pages.render(ctx, status, "history/restore", model);
    }

    private <R extends Record & Row, F extends Record> void restoreVersion(Context ctx, Restores<R, F> restores) {
        Kind<R, F> kind = restores.kind();
        long id = Params.id(ctx, kind.singular());
        long entry = Params.id(ctx, "entry", "change");
        Long version = Params.version(ctx.formParam("version"));
        if (version == null) {
            throw new BadRequestResponse("The form has no version; reload the page and try again");
        }
        Outcome<R> outcome = restores.toVersion(id, entry, version, Access.actor(ctx));
        if (outcome instanceof Outcome.Done<R> done) {
            flash.set(ctx, "Restored " + kind.singular() + " " + kind.label(done.value()) + " to its values after change " + entry + ".");
            ctx.redirect("/" + kind.path() + "/" + id, HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Invalid<R> invalid) {
            confirm(ctx, restores, 422, firstMessage(invalid));
        } else if (outcome instanceof Outcome.Stale<R>) {
            confirm(ctx, restores, 409, "This " + kind.singular() + " was changed since you opened the confirmation. Check the values below and confirm again.");
        } else {
            throw new NotFoundResponse("No " + kind.singular() + " with id " + id + " and a change " + entry);
        }
    }

    private <R extends Record & Row, F extends Record> void restoreVersionApi(Context ctx, Restores<R, F> restores) {
        long id = Params.id(ctx, restores.kind().singular());
        long entry = Params.id(ctx, "entry", "change");
        Json json = Json.body(ctx).only(List.of("version"), "a restore");
        Long version = json.whole("version");
        FieldErrors errors = json.memberErrors();
        if (version == null && !errors.has("version")) {
            errors.add("version", "version is required: send the version you read");
        }
        if (!errors.isEmpty()) {
            ctx.status(422).json(Map.of("errors", errors.ordered()));
            return;
        }
        Outcome<R> outcome = restores.toVersion(id, entry, version, Access.actor(ctx));
        if (outcome instanceof Outcome.Done<R> done) {
            ctx.json(done.value());
        } else {
            refuse(ctx, outcome, restores.kind());
        }
    }

    /** The API's answer to a restore that was not made: 409 (stale, taken), 422, 404. */
    private static void refuse(Context ctx, Outcome<?> outcome, Kind<?, ?> kind) {
        if (outcome instanceof Outcome.Invalid<?> invalid && invalid.duplicate()) {
            ctx.status(409).json(Map.of("error", firstMessage(invalid)));
        } else if (outcome instanceof Outcome.Invalid<?> invalid) {
            ctx.status(422).json(Map.of("errors", invalid.errors().ordered()));
        } else if (outcome instanceof Outcome.Stale<?> stale) {
            ctx.status(409).json(Map.of("error", "version is stale: the " + kind.singular() + " was changed since you read it",
                    "current", stale.current()));
        } else {
            throw new NotFoundResponse("Nothing to restore there");
        }
    }

    private static String firstMessage(Outcome.Invalid<?> invalid) {
        return invalid.errors().ordered().values().iterator().next().get(0);
    }

    /** Where a page of the trash starts: before that entry id; a bad value is the first page. */
    private static long before(String raw) {
        try {
            return raw == null ? Long.MAX_VALUE : Math.max(1, Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One deletion in the trash: its entry, its kind and the dependent rows that went with it, each as a line. */
    public record Deleted(Entry entry, Kind<?, ?> kind, List<String> removed) {}

    private void trash(Context ctx, int status, String message) {
        long before = before(ctx.queryParam("before"));
        List<Entry> entries = history.trash(new ArrayList<>(byKind.keySet()), before, TRASH_SHOWN + 1);
        boolean more = entries.size() > TRASH_SHOWN;
        List<Deleted> deleted = new ArrayList<>();
        for (Entry entry : entries.subList(0, Math.min(TRASH_SHOWN, entries.size()))) {
            Kind<?, ?> kind = byKind.get(entry.kind()).kind();
            Map<String, Object> changes = History.changesOf(entry);
            List<String> removed = new ArrayList<>();
            for (Kind.Dependents dependents : kind.dependents()) {
                if (changes.get(dependents.table()) instanceof List<?> rows) {
                    for (Object row : rows) {
                        if (row instanceof Map<?, ?> columns) {
                            removed.add(dependents.noun() + " " + line(columns, dependents.column()));
                        }
                    }
                }
            }
            deleted.add(new Deleted(entry, kind, removed));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("deleted", deleted);
        if (more) {
            model.put("older", deleted.get(deleted.size() - 1).entry().id());
        }
        if (before != Long.MAX_VALUE) {
            model.put("paged", true);
        }
        if (message != null) {
            model.put("message", message);
        }
        pages.render(ctx, status, "trash", model);
    }

    /** A dependent row as a line: each column but the one that named the deleted record. */
    private static String line(Map<?, ?> columns, String reference) {
        List<String> parts = new ArrayList<>();
        columns.forEach((column, value) -> {
            if (!reference.equals(column)) {
                parts.add(column + " " + value);
            }
        });
        return String.join(", ", parts);
    }

    /** The deletion entry in the path, with what restores its kind; 404 when it is no record's deletion. */
    private Map.Entry<Entry, Restores<?, ?>> deletion(Context ctx) {
        long id = Params.id(ctx, "entry", "deletion");
        Entry entry = history.entry(id).filter(e -> e.action().equals("delete") && byKind.containsKey(e.kind()))
                .orElseThrow(() -> new NotFoundResponse("No deleted record in the trash with entry " + id));
        return Map.entry(entry, byKind.get(entry.kind()));
    }

    private void restoreDeleted(Context ctx) {
        Map.Entry<Entry, Restores<?, ?>> deletion = deletion(ctx);
        restoreDeleted(ctx, deletion.getKey(), deletion.getValue());
    }

    private <R extends Record & Row, F extends Record> void restoreDeleted(Context ctx, Entry entry, Restores<R, F> restores) {
        Kind<R, F> kind = restores.kind();
        Outcome<R> outcome = restores.fromTrash(entry, Access.actor(ctx));
        if (outcome instanceof Outcome.Done<R> done) {
            int n = done.cascaded();
            String with = n == 0 ? "" : " with " + n + " " + kind.dependentsNoun() + (n == 1 ? "" : "s");
            flash.set(ctx, "Restored " + kind.singular() + " " + kind.label(done.value()) + with + ".");
            ctx.redirect("/" + kind.path() + "/" + entry.recordId(), HttpStatus.SEE_OTHER);
        } else if (outcome instanceof Outcome.Invalid<R> invalid) {
            trash(ctx, 409, "Cannot restore " + kind.singular() + " " + entry.label() + ": " + firstMessage(invalid) + ". Nothing was changed.");
        } else {
            throw new NotFoundResponse("That " + kind.singular() + " is not in the trash (already restored?)");
        }
    }

    private void restoreDeletedApi(Context ctx) {
        Map.Entry<Entry, Restores<?, ?>> deletion = deletion(ctx);
        restoreDeletedApi(ctx, deletion.getKey(), deletion.getValue());
    }

    private <R extends Record & Row, F extends Record> void restoreDeletedApi(Context ctx, Entry entry, Restores<R, F> restores) {
        Outcome<R> outcome = restores.fromTrash(entry, Access.actor(ctx));
        if (outcome instanceof Outcome.Done<R> done) {
            ctx.header("Location", "/api/" + restores.kind().path() + "/" + entry.recordId());
            ctx.status(201).json(done.value());
        } else {
            refuse(ctx, outcome, restores.kind());
        }
    }
}
