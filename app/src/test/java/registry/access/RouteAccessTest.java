package registry.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/**
 * Walks every route of the app, taken from its router (a new route cannot be missed), as nobody,
 * as each role signed in, and with each role's read and write tokens, and checks the answer SPEC
 * "Accounts and access" gives: 303 to the sign-in page or 401 for nobody, 403 for too low a role or
 * a read token's write, else the route's own answer. What each route needs is written out here
 * from the SPEC, apart from the app's own table, so that a wrong entry there fails this test.
 *
 * <p>No request of the walk changes anything: ids name no record and bodies are empty, so a route
 * that lets the caller in answers 404 or 422 (the access check comes first).
 */
@Tag("sqlite-only") // the web layer's own rules: no engine touches them
class RouteAccessTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private enum Need { ANYONE, READER, SIGNED_IN, EDITOR, ADMIN }

    /** What SPEC says a route needs. */
    private static Need need(String method, String path) {
        if (path.equals("/sign-in") || path.startsWith("/setup/") || path.equals("/health") || path.startsWith("/health/")
                || path.equals("/api/openapi.json") || path.equals("/api/docs")) {
            return Need.ANYONE;
        }
        if (path.equals("/accounts") || path.startsWith("/accounts/") || path.equals("/metrics")) {
            return Need.ADMIN;
        }
        if (path.equals("/account") || path.startsWith("/account/") || path.equals("/sign-out") || path.equals("/api/me")
                || path.endsWith("/history") || path.equals("/changes") || path.startsWith("/api/changes")
                || (path.equals("/trash") && method.equals("GET"))) {
            return Need.SIGNED_IN;
        }
        // A restore's confirmation page, like an edit or delete page, is for those who may confirm it; importing is an editor's
        // (SPEC "Import": the form, the preview's rejected rows and the API alike).
        boolean read = method.equals("GET") && !path.endsWith("/edit") && !path.endsWith("/delete") && !path.endsWith("/restore")
                && !path.contains("/import");
        return read ? Need.READER : Need.EDITOR;
    }

    /** One way of asking: nobody, a signed-in role, or a role's token. */
    private record Asker(String name, Role role, String token, boolean readToken) {
        boolean anonymous() {
            return role == null;
        }
    }

    /** The answer SPEC gives {@code asker} on {@code method path}. */
    private static String expected(Asker asker, String method, String path) {
        Need need = need(method, path);
        boolean write = !method.equals("GET");
        if (need == Need.ANYONE) {
            return "allowed";
        }
        if (asker.anonymous()) {
            return path.startsWith("/api/") ? "401" : "sign-in";
        }
        Role role = need == Need.ADMIN ? Role.ADMIN : need == Need.EDITOR ? Role.EDITOR : Role.VIEWER;
        if (!asker.role().allows(role) || (write && asker.readToken())) {
            return "403";
        }
        return "allowed";
    }

    private static String observed(HttpResponse<String> answer) {
        int status = answer.statusCode();
        String location = answer.headers().firstValue("Location").orElse("");
        if (status == 303 && location.startsWith("/sign-in?next=")) {
            return "sign-in";
        }
        if (status == 401) {
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as("401 names the scheme").hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            return "401";
        }
        if (status == 403) {
            return "403";
        }
        assertThat(status).as("an allowed request gets the route's own answer, never a 5xx").isLessThan(500);
        return "allowed";
    }

    /** Every HTTP route of the app, with its path parameters filled so that it names nothing. */
    private static List<String[]> routes() {
        List<String[]> routes = new ArrayList<>();
        for (var parsed : server.app.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.endpoint;
            if (!endpoint.method.isHttpMethod() || endpoint.method == HandlerType.HEAD) {
                continue;
            }
            String path = endpoint.path.replace("{token}", "not-the-setup-token").replace("{role}", "actor").replaceAll("\\{[a-z_]+}", "999999");
            routes.add(new String[] {endpoint.method.name(), path, endpoint.path});
        }
        // Signing out ends the asker's session: last.
        routes.sort(Comparator.comparing(r -> r[1].equals("/sign-out")));
        return routes;
    }

    @Test
    void every_route_answers_each_asker_as_the_spec_says() {
        List<Asker> askers = new ArrayList<>();
        askers.add(new Asker("nobody", null, null, false));
        for (Role role : Role.values()) {
            askers.add(new Asker(role.id() + " session", role, null, false));
            askers.add(new Asker(role.id() + " read token", role, server.token(role, "read"), true));
            askers.add(new Asker(role.id() + " write token", role, server.token(role, "write"), false));
        }
        List<String[]> routes = routes();
        assertThat(routes).as("the router's routes").hasSizeGreaterThan(40);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Asker asker : askers) {
            Browser browser = asker.anonymous() || asker.token() != null ? server.anonymousBrowser() : server.signedIn(asker.role());
            String csrf = TestServer.csrfToken(browser.get(asker.anonymous() || asker.token() != null ? "/sign-in" : "/").body());
            for (String[] route : routes) {
                HttpResponse<String> answer = ask(browser, asker, route[0], route[1], csrf);
                String want = expected(asker, route[0], route[1]);
                String got = observed(answer);
                checked++;
                if (!want.equals(got)) {
                    wrong.add(asker.name() + ": " + route[0] + " " + route[2] + " answered " + answer.statusCode() + " (" + got + "), SPEC: " + want);
                }
            }
        }
        assertThat(wrong).as("routes answering against the SPEC").isEmpty();
        assertThat(checked).isEqualTo(askers.size() * routes.size());
    }

    private static HttpResponse<String> ask(Browser browser, Asker asker, String method, String path, String csrf) {
        boolean api = path.startsWith("/api/");
        if (need(method, path) == Need.ANYONE && method.equals("POST")) {
            // Open forms (sign-in, setup) look at no credentials; their CSRF token is a signed-out browser's.
            Browser open = server.anonymousBrowser();
            return open.postForm(path, Map.of("_csrf", TestServer.csrfToken(open.get("/sign-in").body())));
        }
        if (path.equals("/api/changes/stream")) {
            return openStream(browser, asker, path);
        }
        String body = method.equals("GET") || method.equals("DELETE") ? null : api ? "{}" : "";
        if (asker.token() != null) {
            return browser.withToken(asker.token(), method, path, body);
        }
        if (method.equals("GET")) {
            return browser.get(path);
        }
        if (api) {
            return browser.json(method, path, body);
        }
        return browser.postForm(path, Map.of("_csrf", csrf));
    }

    /** A stream that lets the asker in never ends: its answer is its status and headers, and it is closed at once. */
    private static HttpResponse<String> openStream(Browser browser, Asker asker, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path));
        if (asker.token() != null) {
            request.header("Authorization", "Bearer " + asker.token());
        }
        return browser.send(request.build(), info -> info.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(), in -> {
                    try {
                        in.close();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return "";
                })
                : HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void a_page_that_needs_signing_in_sends_to_the_sign_in_page_with_the_path_and_query_asked_for() {
        HttpResponse<String> answer = server.anonymousBrowser().get("/movies?q=alien&sort=year");

        assertThat(answer.statusCode()).isEqualTo(303);
        assertThat(answer.headers().firstValue("Location")).hasValue("/sign-in?next=%2Fmovies%3Fq%3Dalien%26sort%3Dyear");
    }

    @Test
    void the_api_without_credentials_is_401_json_with_the_bearer_scheme() {
        HttpResponse<String> answer = server.anonymousBrowser().get("/api/users");

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(answer.body()).startsWith("{\"error\":");
    }

    @Test
    void a_token_that_proves_nobody_is_401_even_where_a_session_would_do() {
        HttpResponse<String> answer = server.newBrowser().withToken("reg_" + "x".repeat(43), "GET", "/api/users", null);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    }

    @Test
    void api_me_says_who_asks_and_how() {
        String token = server.token(Role.EDITOR, "read");

        HttpResponse<String> bySession = server.signedIn(Role.VIEWER).get("/api/me");
        HttpResponse<String> byToken = server.anonymousBrowser().withToken(token, "GET", "/api/me", null);

        assertThat(bySession.body()).contains("\"username\":\"viewer\"", "\"role\":\"viewer\"", "\"via\":\"session\"");
        assertThat(byToken.body()).contains("\"username\":\"editor\"", "\"role\":\"editor\"", "\"via\":\"token\"");
    }

    @Test
    void a_viewer_sees_no_forms_to_change_records() {
        Browser viewer = server.signedIn(Role.VIEWER);
        Browser editor = server.signedIn(Role.EDITOR);

        assertThat(viewer.get("/users").body()).doesNotContain("New user", "action=\"/users\" class=\"record\"").contains("Sign out", "viewer");
        assertThat(editor.get("/users").body()).contains("New user");
    }
}
