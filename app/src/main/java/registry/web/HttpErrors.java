package registry.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.router.EndpointNotFound;
import java.util.Optional;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
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
    private final Access access;

    public HttpErrors(Pages pages, Access access) {
        this.pages = pages;
        this.access = access;
    }

    public void register(JavalinConfig cfg) {
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> {
            String message = e instanceof EndpointNotFound ? "There is no page at " + ctx.path() : e.getMessage();
            if (e instanceof MethodNotAllowedResponse notAllowed) {
                String allow = Methods.allow(notAllowed);
                ctx.header("Allow", allow);
                message = ctx.path() + " does not take " + ctx.req().getMethod() + "; it takes " + allow;
            }
            answer(ctx, e.getStatus(), message);
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            Optional<HttpResponseException> malformed = malformed(e);
            if (malformed.isPresent()) {
                answer(ctx, malformed.get().getStatus(), malformed.get().getMessage());
                return;
            }
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

    /**
     * A request that could not be read (a body cut short, a broken multipart body, an unknown
     * charset) is the client's mistake: 400 or 415, not a 500.
     */
    private static Optional<HttpResponseException> malformed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException bad && bad.getCode() >= 400 && bad.getCode() < 500) {
                return Optional.of(new HttpResponseException(bad.getCode(), "The request could not be read: " + bad.getReason()));
            }
            if (t instanceof EofException) {
                return Optional.of(new HttpResponseException(400, "The request body was cut short"));
            }
            if (t instanceof UnsupportedCharsetException || t instanceof IllegalCharsetNameException) {
                return Optional.of(new HttpResponseException(415, "The request names a character set this server does not know"));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code ctx} is an API call or a health probe (/health and all under it), answered in JSON. */
    public static boolean wantsJson(Context ctx) {
        String path = ctx.path();
        return path.startsWith("/api/") || path.equals("/health") || path.startsWith("/health/");
    }

    private void answer(Context ctx, int status, String message) {
        if (wantsJson(ctx)) {
            ctx.status(status).json(Map.of("error", message));
        } else {
            access.identify(ctx);
            HttpStatus known = HttpStatus.forStatus(status);
            pages.render(ctx, status, "errors/error", Map.of("status", status, "title", known.getMessage(), "message", message));
        }
    }
}
