package registry.health;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import registry.db.Database;
import registry.schema.Migrations;
import registry.db.Unavailable;

/** {@code GET /health}: 200 when the database answers, takes writes and its schema is current, 503 otherwise. */
public final class HealthApi {
    /** How long a write probe's answer is reused: /health is polled, and on SQLite the probe queues with the writes. */
    static final long PROBE_TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Database database;
    private final Migrations migrations;
    /** The last write probe: when it ran, and why writing failed (empty: it worked). */
    private volatile Probe lastProbe;

    private record Probe(long atNanos, Optional<String> failure) {}

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
            // Reads alone can succeed on a database that refuses every change (a read-only file or mount, a
            // read-only replica): a server that cannot save anything is not up.
            Optional<String> unwritable = pending.isEmpty() ? writeFailure() : Optional.empty();
            up = pending.isEmpty() && unwritable.isEmpty();
            body.put("status", up ? "UP" : "DOWN");
            body.put("database", unwritable.isEmpty() ? "UP" : "DOWN");
            body.put("schema", schema);
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

    /**
     * Why the database refuses a change, from a write that changes nothing (an UPDATE of no row is
     * still refused by a read-only file, connection or server), reused for {@link #PROBE_TTL_NANOS}.
     */
    private Optional<String> writeFailure() {
        Probe probe = lastProbe;
        if (probe == null || System.nanoTime() - probe.atNanos() > PROBE_TTL_NANOS) {
            Optional<String> failure;
            try {
                database.writeOne(h -> h.execute("UPDATE settings SET value = value WHERE 1 = 0"));
                failure = Optional.empty();
            } catch (RuntimeException e) {
                failure = Optional.of("The database cannot be written: " + Unavailable.reason(e).orElse(String.valueOf(e.getMessage())));
            }
            probe = new Probe(System.nanoTime(), failure);
            lastProbe = probe;
        }
        return probe.failure();
    }
}
