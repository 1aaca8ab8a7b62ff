package registry.history;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import registry.access.Caller;
import registry.access.Role;
import registry.record.Kind;
import registry.web.Access;
import registry.web.Pages;
import registry.web.Params;

/**
 * The history, read: a record's entries (page and API), every entry on /changes, and the feed
 * {@code /api/changes} that a program follows with {@code after}. Account entries are shown to
 * admins only.
 */
public final class HistoryWeb {
    static final int FEED_DEFAULT = 100;
    static final int FEED_MAX = 1000;
    static final List<String> ACTIONS = List.of("create", "update", "delete", "restore", "password", "sign-in", "sign-in-failed",
            "token-create", "token-revoke");

    private final History history;
    private final Pages pages;
    private final List<Kind<?, ?>> kinds;

    public HistoryWeb(History history, Pages pages, List<Kind<?, ?>> kinds) {
        this.history = history;
        this.pages = pages;
        this.kinds = kinds;
    }

    public void routes(RoutesConfig routes) {
        for (Kind<?, ?> kind : kinds) {
            routes.get("/" + kind.path() + "/{id}/history", ctx -> recordPage(ctx, kind));
            routes.get("/api/" + kind.path() + "/{id}/history", ctx -> recordApi(ctx, kind));
        }
        routes.get("/changes", this::changesPage);
        routes.get("/api/changes", this::feed);
    }

    private static boolean admin(Context ctx) {
        return Access.caller(ctx).map(Caller::role).filter(role -> role == Role.ADMIN).isPresent();
    }

    /** A record's entries; 404 only for an id that never had one (a deleted record's history stays). */
    private List<Entry> entries(Context ctx, Kind<?, ?> kind) {
        long id = Params.id(ctx, kind.singular());
        List<Entry> entries = history.ofRecord(kind.path(), id);
        if (entries.isEmpty()) {
            throw new NotFoundResponse("No " + kind.singular() + " with id " + id + " has a history");
        }
        return entries;
    }

    private void recordPage(Context ctx, Kind<?, ?> kind) {
        List<Entry> entries = entries(ctx, kind);
        pages.render(ctx, "history/record", Map.of("kind", kind, "recordId", entries.get(0).recordId(), "label", entries.get(0).label(),
                "entries", shown(entries),
                "exists", !entries.get(0).action().equals("delete")));
    }

    private void recordApi(Context ctx, Kind<?, ?> kind) {
        ctx.json(Map.of("items", entries(ctx, kind).stream().map(HistoryWeb::json).toList()));
    }

    private void changesPage(Context ctx) {
        String kind = choice(ctx.queryParam("kind"), kindChoices(), admin(ctx));
        String action = choice(ctx.queryParam("action"), ACTIONS, false);
        String actor = ctx.queryParam("actor") == null ? "" : ctx.queryParam("actor").strip();
        int size = clamp(ctx.queryParam("size"), 50, 1, 100);
        int page = clamp(ctx.queryParam("page"), 1, 1, Integer.MAX_VALUE / size);
        History.Changes changes = history.changes(new History.Filter(kind, actor, action, admin(ctx)), page, size);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("changes", changes);
        model.put("entries", shown(changes.items()));
        model.put("kindFilter", kind);
        model.put("actionFilter", action);
        model.put("actorFilter", actor);
        model.put("kindChoices", kindChoices());
        model.put("actions", ACTIONS);
        model.put("link", "kind=" + encode(kind) + "&actor=" + encode(actor) + "&action=" + encode(action) + "&size=" + size);
        pages.render(ctx, "changes", model);
    }

    /** {@code value} when it is one of {@code allowed} (or "accounts" for an admin), else "" (any): a bad filter is ignored. */
    private static String choice(String value, List<String> allowed, boolean accounts) {
        if (value == null) {
            return "";
        }
        return allowed.contains(value) || (accounts && value.equals(History.ACCOUNTS)) ? value : "";
    }

    /** What /changes may be filtered to: every kind of record, and credits. */
    private List<String> kindChoices() {
        List<String> choices = new java.util.ArrayList<>(kinds.stream().map(Kind::path).toList());
        choices.add("credits");
        return choices;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int clamp(String raw, int fallback, int min, int max) {
        try {
            return raw == null ? fallback : Math.max(min, Math.min(max, Integer.parseInt(raw.strip())));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The feed: {@code after} an entry id (0: from the start), oldest first, {@code limit} 1–1000. */
    private void feed(Context ctx) {
        long after;
        try {
            after = ctx.queryParam("after") == null ? 0 : Long.parseLong(ctx.queryParam("after").strip());
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("after must be the id of an entry (a whole number)");
        }
        if (after < 0) {
            throw new BadRequestResponse("after must be 0 or more");
        }
        int limit = clamp(ctx.queryParam("limit"), FEED_DEFAULT, 1, FEED_MAX);
        List<Entry> items = history.after(after, limit, admin(ctx));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.stream().map(HistoryWeb::json).toList());
        body.put("next", items.isEmpty() ? after : items.get(items.size() - 1).id());
        ctx.json(body);
    }

    /** An entry as the API gives it: its changes as JSON, not as text. */
    static Map<String, Object> json(Entry entry) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", entry.id());
        json.put("at", entry.at());
        json.put("actor", entry.actor());
        json.put("via", entry.via());
        json.put("action", entry.action());
        json.put("kind", entry.kind());
        json.put("record_id", entry.recordId());
        json.put("label", entry.label());
        json.put("changes", History.changesOf(entry));
        if (entry.importId() != null) {
            json.put("import_id", entry.importId());
        }
        return json;
    }

    /** An entry as a page shows it: each field with its value, or from → to. */
    public record Shown(Entry entry, List<Change> changes) {}

    /** One line of an entry: a field and its value(s); {@code before} is null for a create or delete. */
    public record Change(String field, Object before, Object after, boolean update) {}

    static List<Shown> shown(List<Entry> entries) {
        return entries.stream().map(entry -> {
            List<Change> lines = new java.util.ArrayList<>();
            History.changesOf(entry).forEach((field, value) -> {
                boolean diff = entry.action().equals("update") || entry.action().equals("restore");
                if (diff && value instanceof List<?> pair && pair.size() == 2 && !(pair.get(0) instanceof Map)) {
                    lines.add(new Change(field, pair.get(0), pair.get(1), true));
                } else if (value instanceof List<?> rows) {
                    lines.add(new Change(field, null, rows.size() + (entry.action().equals("restore") ? " restored with it" : " removed with it"), false));
                } else {
                    lines.add(new Change(field, null, value, false));
                }
            });
            return new Shown(entry, lines);
        }).toList();
    }
}
