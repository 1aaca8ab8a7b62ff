package registry.support;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import registry.Server;
import registry.config.Config;

/**
 * The real app on a random port over a fresh database, and browsers that behave like one without
 * JavaScript: each keeps its cookies, does not follow redirects, and takes the CSRF token from
 * the form it was given.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    public TestDb db;
    public Javalin app;
    private Server server;
    public String base;
    /** The default browser; {@link #newBrowser()} makes others. */
    public Browser browser;
    private Path ownDir;

    private TestServer() {}

    private TestServer startOn(Config config) {
        server = Server.start(config.withSecretKey("test-secret"));
        db = TestDb.of(server);
        app = server.app();
        base = "http://127.0.0.1:" + app.port();
        browser = newBrowser();
        return this;
    }

    public static TestServer start(Path dir) {
        return start(config(dir));
    }

    public static TestServer start(Config config) {
        return new TestServer().startOn(config);
    }

    /** One server for a whole test class: {@code @RegisterExtension static final TestServer server = TestServer.perClass();} */
    public static TestServer perClass() {
        return new TestServer();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        ownDir = Files.createTempDirectory("registry-test");
        startOn(config(ownDir));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
        try (Stream<Path> files = Files.walk(ownDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    public static Config config(Path dir) {
        return TestDb.config(dir);
    }

    public Browser newBrowser() {
        return browser(base);
    }

    /** A browser whose paths are relative to {@code base}; it takes absolute URLs too, to visit several servers. */
    public static Browser browser(String base) {
        return new Browser(base, HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    public HttpResponse<String> get(String path) {
        return browser.get(path);
    }

    public HttpResponse<String> submit(String formPage, String action, Map<String, String> fields) {
        return browser.submit(formPage, action, fields);
    }

    public HttpResponse<String> json(String method, String path, String body) {
        return browser.json(method, path, body);
    }

    public HttpResponse<String> send(HttpRequest request) {
        return browser.send(request);
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    /** The CSRF token in a page, as a browser would submit it. */
    public static String csrfToken(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no _csrf field in the page:\n" + html);
        }
        return m.group(1);
    }

    public static String encode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public void close() {
        server.close();
    }

    /** A browser with its own cookie jar. */
    public static final class Browser {
        private final String base;
        private final HttpClient client;

        Browser(String base, HttpClient client) {
            this.base = base;
            this.client = client;
        }

        private URI uri(String path) {
            return URI.create(path.startsWith("http") ? path : base + path);
        }

        public HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET().build());
        }

        /** GETs {@code formPage} and POSTs {@code fields} to {@code action} with the token found in it. */
        public HttpResponse<String> submit(String formPage, String action, Map<String, String> fields) {
            Map<String, String> withToken = new LinkedHashMap<>(fields);
            withToken.put("_csrf", csrfToken(get(formPage).body()));
            return postForm(action, withToken);
        }

        public HttpResponse<String> postForm(String path, Map<String, String> fields) {
            return send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encode(fields))).build());
        }

        public HttpResponse<String> json(String method, String path, String body) {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build());
        }

        public HttpResponse<String> send(HttpRequest request) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError("request failed: " + request, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
