package registry.metrics;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.LongSupplier;
import registry.db.Database;

/**
 * {@code GET /metrics} (SPEC "For machines"): requests by route template, the database's pools
 * and writer, the history's head and the JVM, in Prometheus' text format. One registry per app,
 * never Micrometer's global one: the tests run many servers in one JVM, and each must count its
 * own requests. Who may read it is {@code Access}'s table (admins).
 */
public final class Metrics {
    /** The two formats {@link PrometheusMeterRegistry#scrape(String)} writes, named as it names them. */
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestTimers requests = new RequestTimers(registry);
    /** Listens to the JVM's GC notifications until closed: bound only while the server runs, so a failed start leaves no listener. */
    private volatile JvmGcMetrics gc;

    /** @param historyHead the newest history entry's id, read at each scrape */
    public Metrics(Database database, LongSupplier historyHead) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        database.instrument(registry);
        Gauge.builder("registry.history.head", () -> head(historyHead))
                .description("Id of the newest history entry: it grows by one per change").register(registry);
    }

    /** Adds the route, and binds and unbinds what must live no longer than the server. */
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/metrics", this::scrape);
        cfg.events.serverStarted(() -> {
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
        });
        cfg.events.serverStopped(this::close);
    }

    /** Counts a finished request; called by the request logger, which Javalin calls for every request, 404s included. */
    public void record(Context ctx, float millis) {
        requests.record(ctx, millis);
    }

    /** OpenMetrics when the scraper asks for it (Prometheus does), else the classic text format 0.0.4. */
    private void scrape(Context ctx) {
        String accept = ctx.header("Accept");
        String type = accept != null && accept.contains("application/openmetrics-text")
                ? OPENMETRICS : TEXT_004;
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(type).result(registry.scrape(type));
    }

    private static double head(LongSupplier historyHead) {
        try {
            return historyHead.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN; // the database is down: /health says so; the scrape still answers
        }
    }

    private void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
