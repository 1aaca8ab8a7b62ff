package registry.health;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import registry.db.Database;
import registry.schema.Migrations;
import registry.db.Unavailable;

/**
 * {@code GET /health}: 200 when the database answers, takes writes and its schema is current, 503
 * otherwise. On SQLite, a writer busy with a long change (an import) is taking writes: 200 with
 * {@code "writer":"busy"} ({@link WriteProbe}).
 */
public final class HealthApi {
    private final Database database;
    private final Migrations migrations;
    private final WriteProbe writeProbe;

    public HealthApi(Database database, Migrations migrations) {
        this.database = database;
        this.migrations = migrations;
        this.writeProbe = new WriteProbe(database);
    }

    public void routes(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/health/pool", ctx -> ctx.json(database.poolStats()));
    }

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean up;
        String schema;
        try {
            database.read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            List<String> pending = migrations.pending().stream().map(Migrations.ChangeSetId::toString).toList();
            schema = pending.isEmpty() ? "current" : "behind";
            WriteProbe.Finding probe = pending.isEmpty() ? writeProbe.check() : null;
            Optional<String> unwritable = probe == null ? Optional.empty() : probe.failure();
            up = pending.isEmpty() && unwritable.isEmpty();
            body.put("status", up ? "UP" : "DOWN");
            body.put("database", unwritable.isEmpty() ? "UP" : "DOWN");
            body.put("schema", schema);
            if (probe != null && probe.busy()) {
                body.put("writer", "busy");
            }
            if (!pending.isEmpty()) {
                body.put("pending", pending);
            }
            unwritable.ifPresent(reason -> body.put("error", reason));
        } catch (RuntimeException e) {
            up = false;
            body.put("status", "DOWN");
            body.put("database", "DOWN");
            body.put("schema", "unknown");
            body.put("error", Unavailable.reason(e).orElse(String.valueOf(e.getMessage())));
        }
        ctx.status(up ? 200 : 503).json(body);
    }
}
