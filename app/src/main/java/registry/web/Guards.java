package registry.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
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
    /** The headers of every answer (SPEC "Pages"), by name: the app's and the server's own alike. */
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Guards(Hosts hosts, boolean recordQueries, boolean https) {
        this.hosts = hosts;
        this.recordQueries = recordQueries;
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Content-Security-Policy", CSP);
        headers.put("Referrer-Policy", "same-origin");
        headers.put("X-Frame-Options", "DENY");
        if (https) {
            headers.put("Strict-Transport-Security", "max-age=31536000");
        }
    }

    public void register(JavalinConfig cfg) {
        cfg.http.maxRequestSize = MAX_BODY;
        cfg.routes.before(this::before);
        if (recordQueries) {
            cfg.routes.after(ctx -> QueryLog.stopRecording());
        }
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new ServerErrors(headers)));
    }

    /**
     * Jetty's own answers: a request it cannot parse (400), a URI or headers too long (414, 431), a
     * path it refuses as ambiguous (400). They are written before any handler of the app runs, by
     * the server's error handler, which gets the same headers here.
     */
    private static final class ServerErrors extends ErrorHandler {
        private final Map<String, String> headers;

        ServerErrors(Map<String, String> headers) {
            this.headers = headers;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            headers.forEach((name, value) -> response.getHeaders().put(name, value));
            return super.handle(request, response, callback);
        }
    }

    private void before(Context ctx) {
        headers.forEach(ctx::header);
        // Pages, exports and API answers show who is signed in and what they may read: no cache
        // keeps them. Static assets are the exception; their handler sets its own Cache-Control.
        ctx.header("Cache-Control", "no-store");
        hosts.checkHost(ctx);
        if (recordQueries) {
            QueryLog.startRecording();
        }
        if (ctx.req().getContentLengthLong() > MAX_BODY) {
            throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), "The request body is larger than 1 MiB");
        }
    }
}
