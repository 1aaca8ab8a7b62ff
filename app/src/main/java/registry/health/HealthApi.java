package registry.health;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import registry.db.Database;
import registry.schema.Migrations;
import registry.db.Unavailable;

/** {@code GET /health}: 200 when the database answers and its schema is current, 503 otherwise. */
public final class HealthApi {
    private final Database database;
    private final Migrations migrations;

    public HealthApi(Database database, Migrations migrations) {
        this.database = database;
        this.migrations = migrations;
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
            up = pending.isEmpty();
            body.put("status", up ? "UP" : "DOWN");
            body.put("database", "UP");
            body.put("schema", schema);
            if (!pending.isEmpty()) {
                body.put("pending", pending);
            }
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
