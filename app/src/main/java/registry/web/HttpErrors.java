package registry.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.router.EndpointNotFound;
import java.util.Optional;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import registry.db.Unavailable;

/**
 * Every error answer: a page for the browser, {@code {"error":…}} for the API, never a stack trace.
 * The trace of an unexpected failure goes to the log only.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private final Pages pages;

    public HttpErrors(Pages pages) {
        this.pages = pages;
    }

    public void register(JavalinConfig cfg) {
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
            String message = e instanceof EndpointNotFound ? "There is no page at " + ctx.path() : e.getMessage();
            answer(ctx, e.getStatus(), message);
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            Optional<String> unavailable = Unavailable.reason(e);
            if (unavailable.isPresent()) {
                LOG.warn("{} {}: {}", ctx.method(), ctx.path(), unavailable.get());
                answer(ctx, 503, unavailable.get());
                return;
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "Something went wrong on our side; it has been logged");
        });
    }

    /** Whether {@code ctx} is an API call, answered in JSON. */
    public static boolean wantsJson(Context ctx) {
        return ctx.path().startsWith("/api/") || ctx.path().equals("/health");
    }

    private void answer(Context ctx, int status, String message) {
        if (wantsJson(ctx)) {
            ctx.status(status).json(Map.of("error", message));
        } else {
            HttpStatus known = HttpStatus.forStatus(status);
            pages.render(ctx, status, "errors/error", Map.of("status", status, "title", known.getMessage(), "message", message));
        }
    }
}
