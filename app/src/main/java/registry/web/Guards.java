package registry.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import registry.db.QueryLog;

/**
 * What runs before every request: security headers, the {@code Host} check and the size limit.
 * Who may do what, and whether a write comes from this site, is {@link Access}.
 */
public final class Guards {
    public static final long MAX_BODY = 1024 * 1024;
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private final Hosts hosts;
    private final boolean recordQueries;
    private final boolean https;

    public Guards(Hosts hosts, boolean recordQueries, boolean https) {
        this.hosts = hosts;
        this.recordQueries = recordQueries;
        this.https = https;
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
        if (https) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        hosts.checkHost(ctx);
        if (recordQueries) {
            QueryLog.startRecording();
        }
        if (ctx.req().getContentLengthLong() > MAX_BODY) {
            throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), "The request body is larger than 1 MiB");
        }
    }
}
