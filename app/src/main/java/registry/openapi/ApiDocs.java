package registry.openapi;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/docs}: the OpenAPI document rendered by Swagger UI, whose files come from its
 * WebJar inside our jar (no other host, working offline). The page has no inline script, so the
 * app's strict Content-Security-Policy holds: our own {@code /static/api-docs.js} starts it.
 */
public final class ApiDocs {
    /** The WebJar's version, which is part of its files' path; the pom names the same one. */
    static final String SWAGGER_UI = "5.34.1";
    /** Where its files are served. */
    public static final String ASSETS = "/static/swagger-ui";

    private final byte[] page;

    private ApiDocs() {
        try (InputStream in = ApiDocs.class.getResourceAsStream("/openapi/docs.html")) {
            if (in == null) {
                throw new IllegalStateException("openapi/docs.html is not on the classpath");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void register(JavalinConfig cfg) {
        ApiDocs docs = new ApiDocs();
        cfg.staticFiles.add(files -> {
            files.hostedPath = ASSETS;
            files.directory = "/META-INF/resources/webjars/swagger-ui/" + SWAGGER_UI;
            files.location = Location.CLASSPATH;
        });
        cfg.routes.get("/api/docs", ctx -> ctx.contentType("text/html; charset=utf-8").result(docs.page));
    }
}
