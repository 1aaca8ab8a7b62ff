package registry.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import registry.web.Json;
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
import java.time.Clock;
import registry.Server;
import registry.access.Role;
import registry.account.Accounts;
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

    /** A password every test account has: long and uncommon enough for the password rules. */
    public static final String PASSWORD = "tidy-otter-minus-42-plum";

    private TestServer startOn(Config config) {
        return startOn(config, true);
    }

    /** @param signIn whether the default browser signs in (it cannot on a database that cannot be written) */
    private TestServer startOn(Config config, boolean signIn) {
        server = Server.start(config.withSecretKey("test-secret"));
        db = TestDb.of(server);
        app = server.app();
        base = "http://127.0.0.1:" + app.port();
        accounts = new Accounts(server.database(), Clock.systemUTC(), config.security().sessionIdleMinutes());
        browser = signIn ? newBrowser() : anonymousBrowser();
        return this;
    }

    private Accounts accounts;

    /** The one-time setup link this start printed, while no account exists. */
    public java.util.Optional<String> setupLink() {
        return server.setupLink();
    }

    /** The accounts of this server's database, to make the ones a test signs in as. */
    public Accounts accounts() {
        return accounts;
    }

    /** The account named after {@code role} ("admin", "editor", "viewer"), made on first use. */
    public String account(Role role) {
        String name = role.id();
        if (accounts.find(name).isEmpty()) {
            accounts.add(name, role, PASSWORD, registry.history.Actor.CLI);
        }
        return name;
    }

    /** A new API token of the account named after {@code role}, with {@code access} "read" or "write". */
    public String token(Role role, String access) {
        long id = accounts.find(account(role)).orElseThrow().id();
        return accounts.createToken(id, role.id() + "-" + access + "-" + System.nanoTime(), access, null, registry.history.Actor.CLI).secret();
    }

    /** A browser signed in as the admin, through the sign-in form. */
    public Browser newBrowser() {
        return signedIn(Role.ADMIN);
    }

    /** A browser signed in, through the sign-in form, as the account named after {@code role}. */
    public Browser signedIn(Role role) {
        Browser b = anonymousBrowser();
        b.signIn(account(role), PASSWORD);
        return b;
    }

    /** A browser that has not signed in. */
    public Browser anonymousBrowser() {
        return browser(base);
    }

    public static TestServer start(Path dir) {
        return start(config(dir));
    }

    public static TestServer start(Config config) {
        return new TestServer().startOn(config);
    }

    /** A server whose default browser has not signed in: for a database nobody can sign in to, such as a read-only one. */
    public static TestServer startSignedOut(Config config) {
        return new TestServer().startOn(config, false);
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

    /** A browser whose paths are relative to {@code base}; it takes absolute URLs too, to visit several servers. */
    public static Browser browser(String base) {
        return new Browser(base, HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    public HttpResponse<String> get(String path) {
        return browser.get(path);
    }

    /** GET {@code path} as the default browser: it must answer 200, and its JSON is returned. */
    public JsonNode getJson(String path) {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json(response);
    }

    /** Creates a record of {@code kind} ("movies") through the API from its JSON, which must answer 201; returns its id. */
    public long create(String kind, String json) {
        HttpResponse<String> response = json("POST", "/api/" + kind, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).get("id").asLong();
    }

    /** An answer's JSON; one that is not JSON fails the test, showing its body. */
    public static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
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

        /** This browser's cookies as a {@code Cookie} header would carry them, to send them from another client. */
        public String cookieHeader() {
            java.net.CookieHandler handler = client.cookieHandler().orElseThrow();
            return ((CookieManager) handler).getCookieStore().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                    .collect(Collectors.joining("; "));
        }

        /** Signs in through the sign-in form, as a person would; fails the test when that does not work. */
        public Browser signIn(String username, String password) {
            HttpResponse<String> answer = submit("/sign-in", "/sign-in", Map.of("username", username, "password", password));
            if (answer.statusCode() != 303) {
                throw new AssertionError("signing in as " + username + " answered " + answer.statusCode() + ":\n" + answer.body());
            }
            return this;
        }

        /** The request with {@code Authorization: Bearer token}, and without this browser's cookies' effect on who is asking. */
        public HttpResponse<String> withToken(String token, String method, String path, String body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            return send(request.build());
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
            return send(request, HttpResponse.BodyHandlers.ofString());
        }

        /** The request with this browser's cookies, its answer's body read by {@code body} (bytes, say). */
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
            try {
                HttpResponse<T> answer = client.send(request, body);
                // Every API call a test makes is held to the OpenAPI document.
                if (request.uri().getRawPath().startsWith("/api/")) {
                    ApiContract.of(request.uri().getScheme() + "://" + request.uri().getRawAuthority(), client).check(request, answer);
                }
                return answer;
            } catch (IOException e) {
                throw new AssertionError("request failed: " + request, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
