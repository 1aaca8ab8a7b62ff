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

    /** The routes that take a file (SPEC "Import"): the only ones past 1 MiB, and the only ones taking multipart. */
    private static final java.util.regex.Pattern IMPORT = java.util.regex.Pattern.compile("(/api)?/[a-z]+/import");

    private final Hosts hosts;
    private final boolean recordQueries;
    private final long importMaxBytes;
    /** The headers of every answer (SPEC "Pages"), by name: the app's and the server's own alike. */
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Guards(Hosts hosts, boolean recordQueries, boolean https, long importMaxBytes) {
        this.hosts = hosts;
        this.importMaxBytes = importMaxBytes;
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
        // An import form's file goes to disk past 1 MiB, and no further than import.max-bytes.
        cfg.jetty.multipartConfig.cacheDirectory(System.getProperty("java.io.tmpdir"));
        cfg.jetty.multipartConfig.maxInMemoryFileSize((int) MAX_BODY, io.javalin.config.SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxFileSize(importMaxBytes, io.javalin.config.SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxTotalRequestSize(importMaxBytes + MAX_BODY, io.javalin.config.SizeUnit.BYTES);
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
        boolean importing = ctx.method() == io.javalin.http.HandlerType.POST && IMPORT.matcher(ctx.path()).matches();
        if (importing) {
            // A multipart form adds its boundaries and the CSRF field to the file: a little slack.
            if (ctx.req().getContentLengthLong() > importMaxBytes + (ctx.isMultipartFormData() ? 64 * 1024 : 0)) {
                throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(),
                        "The file is larger than import.max-bytes (" + importMaxBytes + " bytes); split it, or raise the limit");
            }
            return;
        }
        if (ctx.req().getContentLengthLong() > MAX_BODY) {
            throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), "The request body is larger than 1 MiB");
        }
        if (ctx.isMultipartFormData()) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(), "Only the import forms take multipart/form-data");
        }
    }
}
