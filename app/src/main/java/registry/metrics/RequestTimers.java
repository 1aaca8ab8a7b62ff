package registry.metrics;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code http.server.requests}: a timer per route template, method and status. Labels are bounded:
 * the route is the router's template ({@code /api/{kind}/{id}} as {@code /api/movies/{id}}), never
 * the path asked for; requests no route took share {@code NOT_FOUND}, {@code /static/**} or
 * {@code UNMATCHED}; a method Javalin does not know is {@code OTHER}.
 *
 * <p>Timers are looked up once and kept per route: a request costs a map lookup by its route,
 * a scan of that route's few statuses and the timer's own recording, with no allocation.
 */
final class RequestTimers {
    static final String NAME = "http.server.requests";
    /** Fixed buckets, not Micrometer's ~70 per timer: a bounded scrape, and a cheaper record. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    /** By matched endpoint (identity: each route, HEAD included, is its own endpoint). */
    private final Map<Endpoint, Route> matched = new ConcurrentHashMap<>();
    /** By label and method, for requests no route took: few, so a key made per request is fine. */
    private final Map<String, Route> unmatched = new ConcurrentHashMap<>();

    RequestTimers(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Context ctx, float millis) {
        route(ctx).timer(ctx.statusCode()).record((long) (millis * 1_000_000.0), TimeUnit.NANOSECONDS);
    }

    private Route route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint != null) {
            Route route = matched.get(endpoint);
            return route != null ? route : matched.computeIfAbsent(endpoint, e -> new Route(e.path, method(e.method)));
        }
        String label = ctx.statusCode() == 404 ? "NOT_FOUND" : ctx.path().startsWith("/static/") ? "/static/**" : "UNMATCHED";
        String method = method(ctx.method());
        return unmatched.computeIfAbsent(label + " " + method, key -> new Route(label, method));
    }

    /** Javalin makes up a HandlerType for any method a client sends: only the standard ones become labels. */
    private static String method(HandlerType method) {
        return HandlerType.commonHttp().contains(method) ? method.name() : "OTHER";
    }

    /** One route's timers, by status: copied on write, since a route answers with a handful of statuses. */
    private final class Route {
        private final String uri;
        private final String method;
        private volatile int[] statuses = new int[0];
        private volatile Timer[] timers = new Timer[0];

        Route(String uri, String method) {
            this.uri = uri;
            this.method = method;
        }

        Timer timer(int status) {
            int[] known = statuses;
            Timer[] found = timers;
            for (int i = 0; i < known.length && i < found.length; i++) {
                if (known[i] == status) {
                    return found[i];
                }
            }
            return add(status);
        }

        private synchronized Timer add(int status) {
            for (int i = 0; i < statuses.length; i++) {
                if (statuses[i] == status) {
                    return timers[i];
                }
            }
            Timer timer = Timer.builder(NAME).description("HTTP requests by route template, method and status")
                    .tags("uri", uri, "method", method, "status", Integer.toString(status))
                    .serviceLevelObjectives(BUCKETS).register(registry);
            Timer[] more = java.util.Arrays.copyOf(timers, timers.length + 1);
            more[timers.length] = timer;
            int[] moreStatuses = java.util.Arrays.copyOf(statuses, statuses.length + 1);
            moreStatuses[statuses.length] = status;
            timers = more; // timers first: a reader that sees the new status also finds its timer
            statuses = moreStatuses;
            return timer;
        }
    }
}
