package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.support.TestServer;

/** Security by default: CSRF, headers, cookies and the size limit, on the real server. */
@Tag("sqlite-only") // the web layer's own rules: no engine touches them
class SecurityTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static long userCount() {
        String body = server.get("/api/users").body();
        return Long.parseLong(body.replaceAll(".*\"total\":(\\d+).*", "$1"));
    }

    @Test
    void a_post_without_a_valid_token_is_403_and_changes_nothing() {
        TestServer.Browser browser = server.newBrowser();
        String token = TestServer.csrfToken(browser.get("/users").body());
        long before = userCount();

        HttpResponse<String> missing = browser.postForm("/users", Map.of("username", "csrf_missing", "email", "m@example.org"));
        HttpResponse<String> forged = browser.postForm("/users", Map.of("username", "csrf_forged", "email", "f@example.org",
                "_csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        HttpResponse<String> tampered = browser.postForm("/users", Map.of("username", "csrf_tampered", "email", "t@example.org",
                "_csrf", token.substring(1) + (token.charAt(0) == 'A' ? "B" : "A")));
        HttpResponse<String> withoutCookie = server.newBrowser().postForm("/users",
                Map.of("username", "csrf_nocookie", "email", "n@example.org", "_csrf", token));

        assertThat(List.of(missing, forged, tampered, withoutCookie)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("did not come from this site");
        });
        assertThat(userCount()).isEqualTo(before);
    }

    @Test
    void a_token_works_only_with_the_cookie_of_the_browser_it_was_given_to() {
        TestServer.Browser alice = server.newBrowser();
        TestServer.Browser mallory = server.newBrowser();
        String malloryToken = TestServer.csrfToken(mallory.get("/users").body());
        alice.get("/users");

        HttpResponse<String> crossed = alice.postForm("/users",
                Map.of("username", "csrf_crossed", "email", "c@example.org", "_csrf", malloryToken));
        HttpResponse<String> own = mallory.postForm("/users",
                Map.of("username", "csrf_own", "email", "own@example.org", "_csrf", malloryToken));

        assertThat(crossed.statusCode()).isEqualTo(403);
        assertThat(own.statusCode()).isEqualTo(303);
    }

    @Test
    void delete_and_update_forms_need_the_token_too() {
        HttpResponse<String> created = server.submit("/users", "/users", Map.of("username", "csrf_keep", "email", "keep@example.org"));
        String location = created.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> delete = server.newBrowser().postForm(location + "/delete", Map.of("version", "1"));
        HttpResponse<String> update = server.newBrowser().postForm(location,
                Map.of("username", "csrf_changed", "email", "keep@example.org", "version", "1"));

        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(update.statusCode()).isEqualTo(403);
        assertThat(server.get(location).body()).contains("<h1>csrf_keep</h1>");
    }

    @Test
    void every_response_carries_the_security_headers() {
        List<HttpResponse<String>> responses = List.of(server.get("/"), server.get("/users"), server.get("/static/app.css"),
                server.get("/nowhere"), server.get("/api/users"), server.get("/api/users/0"), server.get("/health"),
                server.newBrowser().postForm("/users", Map.of()));

        assertThat(responses).allSatisfy(r -> {
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).contains("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(r.uri().toString()).isPresent();
            assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "*");
        });
    }

    @Test
    void cookies_are_http_only_and_same_site_lax() {
        TestServer.Browser browser = server.anonymousBrowser();
        HttpResponse<String> page = browser.get("/sign-in");
        HttpResponse<String> signedIn = browser.postForm("/sign-in", Map.of("_csrf", TestServer.csrfToken(page.body()),
                "username", server.account(Role.VIEWER), "password", TestServer.PASSWORD));

        assertThat(page.headers().allValues("Set-Cookie")).isNotEmpty()
                .allSatisfy(cookie -> assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/"));
        assertThat(signedIn.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie).startsWith("registry_session="))
                .allSatisfy(cookie -> assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure"));
    }

    @Test
    void the_stylesheet_is_served_by_the_app_and_no_page_loads_from_another_host() {
        HttpResponse<String> css = server.get("/static/app.css");
        String page = server.get("/users").body();

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
        assertThat(page).contains("href=\"/static/app.css\"").doesNotContain("http://", "https://", "//cdn");
    }

    /**
     * Announced by Content-Length and refused before the body is read. Sent by hand, headers only:
     * a client still uploading when the refusal comes may find the connection closed under it and
     * never read the answer, which made this test flaky.
     */
    @Test
    void a_body_over_one_mebibyte_is_413() throws Exception {
        String json = headersOnly("/api/users", "application/json");
        String form = headersOnly("/users", "application/x-www-form-urlencoded");

        assertThat(json).startsWith("HTTP/1.1 413").contains("larger than 1 MiB");
        assertThat(form).startsWith("HTTP/1.1 413");
    }

    private static String headersOnly(String path, String contentType) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + (1024 * 1024 + 10) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_chunked_body_over_the_limit_is_413_too() {
        byte[] big = new byte[1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) 'z');
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/api/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void a_body_just_under_the_limit_is_read() {
        // Whitespace between members: an unknown member would be refused (422) whatever its size.
        String padding = " ".repeat(1024 * 1000);
        HttpResponse<String> response = server.json("POST", "/api/users",
                "{\"username\":\"sec_big_ok\"," + padding + "\"email\":\"big.ok@example.org\"}");

        assertThat(response.statusCode()).isEqualTo(201);
    }

    private static HttpResponse<String> request(TestServer.Browser browser, String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return browser.send(request.build());
    }

    private static long aPerson(String name) {
        HttpResponse<String> created = server.json("POST", "/api/people", "{\"name\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Long.parseLong(created.body().replaceAll("^\\{\"id\":(\\d+).*", "$1"));
    }

    @Test
    void a_method_override_header_is_400_and_never_applied() {
        long id = aPerson("Override Target");
        String path = "/api/people/" + id;

        for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
            HttpResponse<String> api = request(server.browser, "GET", path, header, "DELETE");
            HttpResponse<String> page = request(server.browser, "GET", "/people/" + id, header, "POST");
            HttpResponse<String> plain = request(server.browser, "GET", "/", header, "GET");

            assertThat(List.of(api, page, plain)).as(header).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(400));
            assertThat(api.body()).contains("\"error\"", header);
        }
        assertThat(server.get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void a_known_path_with_a_method_it_does_not_take_is_405_with_allow() {
        HttpResponse<String> list = request(server.browser, "DELETE", "/api/users");
        HttpResponse<String> record = request(server.browser, "PATCH", "/api/users/1");
        HttpResponse<String> page = request(server.browser, "PUT", "/users");
        HttpResponse<String> signOut = request(server.browser, "GET", "/sign-out");
        HttpResponse<String> unknown = request(server.browser, "PUT", "/nowhere");

        assertThat(List.of(list, record, page, signOut)).allSatisfy(r -> assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(405));
        assertThat(allowed(list)).containsExactlyInAnyOrder("GET", "HEAD", "POST");
        assertThat(allowed(record)).containsExactlyInAnyOrder("GET", "HEAD", "PUT", "DELETE");
        assertThat(allowed(page)).containsExactlyInAnyOrder("GET", "HEAD", "POST");
        assertThat(allowed(signOut)).containsExactly("POST");
        assertThat(list.body()).startsWith("{\"error\":");
        assertThat(page.body()).contains("<h1>Method Not Allowed</h1>");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Allow")).isEmpty();
    }

    private static List<String> allowed(HttpResponse<String> response) {
        return List.of(response.headers().firstValue("Allow").orElseThrow().split(",\\s*"));
    }

    @Test
    void head_answers_what_get_would_without_the_body() {
        long id = aPerson("Head Person");
        TestServer.Browser anonymous = server.anonymousBrowser();
        List<String[]> cases = List.of(new String[] {"admin", "/api/people/" + id}, new String[] {"admin", "/api/people/999999"},
                new String[] {"admin", "/people/" + id}, new String[] {"admin", "/people/999999"}, new String[] {"admin", "/nowhere"},
                new String[] {"admin", "/static/app.css"}, new String[] {"anonymous", "/people"},
                new String[] {"anonymous", "/api/people/" + id}, new String[] {"anonymous", "/sign-in"});

        for (String[] c : cases) {
            TestServer.Browser browser = c[0].equals("admin") ? server.browser : anonymous;
            HttpResponse<String> get = request(browser, "GET", c[1]);
            HttpResponse<String> head = request(browser, "HEAD", c[1]);

            assertThat(head.statusCode()).as("HEAD " + c[1] + " as " + c[0]).isEqualTo(get.statusCode());
            assertThat(head.body()).isEmpty();
            for (String header : List.of("Content-Type", "Location", "WWW-Authenticate", "Cache-Control", "X-Content-Type-Options")) {
                assertThat(head.headers().firstValue(header)).as(header + " of HEAD " + c[1]).isEqualTo(get.headers().firstValue(header));
            }
        }
        assertThat(request(anonymous, "HEAD", "/people").headers().firstValue("Location")).contains("/sign-in?next=%2Fpeople");
    }

    /** The raw answer to a request written by hand, for what Jetty refuses before the app sees it. */
    private static String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void the_servers_own_refusals_carry_the_security_headers_too() throws Exception {
        String csp = server.get("/").headers().firstValue("Content-Security-Policy").orElseThrow();
        String end = "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";
        Map<String, String> answers = new java.util.LinkedHashMap<>();
        answers.put("400", raw("GET / HTTP/1.1\r\nNot a header line\r\n" + end));
        answers.put("400 ", raw("GET /%2e%2e/pom.xml HTTP/1.1\r\n" + end));
        answers.put("414", raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n" + end));
        answers.put("431", raw("GET / HTTP/1.1\r\nX-Big: " + "b".repeat(10_000) + "\r\n" + end));

        answers.forEach((status, answer) -> {
            String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase(java.util.Locale.ROOT);
            assertThat(answer).as(status).startsWith("HTTP/1.1 " + status.strip());
            assertThat(head).as(status).contains("x-content-type-options: nosniff", "content-security-policy: " + csp.toLowerCase(java.util.Locale.ROOT),
                    "referrer-policy: same-origin", "x-frame-options: deny");
        });
    }

    @Test
    void pages_say_their_charset_and_neither_pages_nor_the_api_are_stored_by_caches() {
        List<HttpResponse<String>> pages = List.of(server.get("/"), server.get("/people"), server.get("/nowhere"),
                server.anonymousBrowser().get("/sign-in"));
        List<HttpResponse<String>> api = List.of(server.get("/api/people"), server.get("/api/people/999999"), server.get("/health"));

        assertThat(pages).allSatisfy(r -> assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(r.uri().toString())
                .matches("(?i)text/html; ?charset=utf-8"));
        assertThat(Stream.concat(pages.stream(), api.stream())).allSatisfy(r -> assertThat(r.headers().firstValue("Cache-Control"))
                .as(r.uri().toString()).contains("no-store"));
        assertThat(server.get("/static/app.css").headers().firstValue("Cache-Control").orElse("")).doesNotContain("no-store");
    }
}
