package registry.imports;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import registry.history.Actor;
import registry.web.Access;

/** {@code POST /api/{kind}/import}: a CSV body in, the report out (SPEC "Import"). */
public final class ImportApi {
    private final Importer importer;
    private final long maxBytes;

    public ImportApi(Importer importer, long maxBytes) {
        this.importer = importer;
        this.maxBytes = maxBytes;
    }

    public void routes(RoutesConfig routes) {
        importer.targets().forEach(target -> routes.post("/api/" + target.kind() + "/import", ctx -> run(ctx, target)));
    }

    private void run(Context ctx, Target target) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.equals("text/csv") && !type.startsWith("text/csv;")) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(), "Send the file as Content-Type: text/csv");
        }
        if (type.contains("charset") && !type.replace(" ", "").contains("charset=utf-8")) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(), "An import reads UTF-8 only: send Content-Type: text/csv; charset=utf-8, or text/csv alone");
        }
        boolean dryRun = "true".equals(ctx.queryParam("dry_run"));
        try (Spool file = Spool.of(ctx.req().getInputStream(), maxBytes)) {
            Report report = importer.run(target, file.open(), asImport(Access.actor(ctx)), dryRun, Importer.Listener.NONE);
            ctx.status(report.ok() ? 200 : 422).json(json(report));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The history's actor for what an import changes: who, and {@code via} "import". */
    static Actor asImport(Actor actor) {
        return new Actor(actor.name(), "import");
    }

    static Map<String, Object> json(Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (report.importId() != null) {
            body.put("import_id", report.importId());
        }
        body.put("created", report.created());
        body.put("updated", report.updated());
        body.put("unchanged", report.unchanged());
        body.put("invalid", report.invalid());
        body.put("errors", report.errors().stream().map(p -> {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("line", p.line());
            error.put("field", p.field());
            error.put("message", p.message());
            return error;
        }).toList());
        return body;
    }
}
