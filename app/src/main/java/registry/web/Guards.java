package registry.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import registry.db.QueryLog;

/** What runs before every request: security headers, the size limit, CSRF for forms and the Origin check for the API. */
public final class Guards {
    public static final long MAX_BODY = 1024 * 1024;
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private final Csrf csrf;
    private final boolean recordQueries;

    public Guards(Csrf csrf, boolean recordQueries) {
        this.csrf = csrf;
        this.recordQueries = recordQueries;
    }

    public void register(JavalinConfig cfg) {
        cfg.http.maxRequestSize = MAX_BODY;
        cfg.routes.before(this::before);
        if (recordQueries) {
            cfg.routes.after(ctx -> QueryLog.stopRecording());
        }
    }

    private void before(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        if (recordQueries) {
            QueryLog.startRecording();
        }
        if (ctx.req().getContentLengthLong() > MAX_BODY) {
            throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), "The request body is larger than 1 MiB");
        }
        if (!WRITES.contains(ctx.method().name())) {
            return;
        }
        if (HttpErrors.wantsJson(ctx)) {
            checkOrigin(ctx);
        } else {
            csrf.check(ctx);
        }
    }

    /** Browsers name the page's origin on cross-site writes; one naming another host is refused. */
    private static void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        String host = ctx.header("Host");
        try {
            URI uri = URI.create(origin.strip());
            String authority = uri.getRawAuthority();
            if (authority != null && host != null && authority.toLowerCase(Locale.ROOT).equals(host.strip().toLowerCase(Locale.ROOT))) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // a malformed Origin names no origin of ours
        }
        throw new ForbiddenResponse("Cross-origin writes are not allowed");
    }
}
