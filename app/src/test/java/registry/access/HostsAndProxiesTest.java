package registry.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.config.Security;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/** SPEC "Hosts", the Origin check of writes, and what server.public-url and server.trusted-proxies change. */
@Tag("sqlite-only") // the web layer's own rules: no engine touches them
class HostsAndProxiesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @TempDir
    Path dir;

    /** A request as Java's client would not send it: with a Host header of our choosing, over a raw socket. */
    private static String raw(int port, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_loopback_server_answers_400_to_a_host_name_that_is_not_its_own() throws Exception {
        int port = server.app.port();
        String rebound = raw(port, "GET /health HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n");
        String rebindWrite = raw(port, "POST /api/users HTTP/1.1\r\nHost: evil.example:" + port + "\r\nOrigin: http://evil.example:" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        String localhost = raw(port, "GET /health HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n");
        String ipv6 = raw(port, "GET /health HTTP/1.1\r\nHost: [::1]:" + port + "\r\nConnection: close\r\n\r\n");

        assertThat(rebound).startsWith("HTTP/1.1 400").contains("server.allowed-hosts");
        assertThat(rebindWrite).startsWith("HTTP/1.1 400");
        assertThat(localhost).startsWith("HTTP/1.1 200");
        assertThat(ipv6).startsWith("HTTP/1.1 200");
    }

    @Test
    void an_allowed_host_is_answered() throws Exception {
        Config config = TestServer.config(dir).withSecurity(new Security(false, 480, Optional.empty(), List.of("registry.example"), List.of()));
        try (TestServer allowed = TestServer.startSignedOut(config)) {
            int port = allowed.app.port();
            assertThat(raw(port, "GET /health HTTP/1.1\r\nHost: Registry.Example\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(raw(port, "GET /health HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void a_write_whose_origin_is_another_origin_is_403_scheme_and_port_included() {
        String port = Integer.toString(server.app.port());
        Map<String, Integer> answers = new java.util.LinkedHashMap<>();
        for (String origin : List.of("http://127.0.0.1:" + port, "https://127.0.0.1:" + port, "http://127.0.0.1:1", "http://evil.example", "null")) {
            answers.put(origin, server.send(HttpRequest.newBuilder(server.uri("/api/people")).header("Content-Type", "application/json")
                    .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Origin " + answers.size() + "\"}")).build())
                    .statusCode());
        }

        assertThat(answers).containsExactly(Map.entry("http://127.0.0.1:" + port, 201), Map.entry("https://127.0.0.1:" + port, 403),
                Map.entry("http://127.0.0.1:1", 403), Map.entry("http://evil.example", 403), Map.entry("null", 403));
    }

    @Test
    void a_form_post_from_another_origin_or_cross_site_is_403_even_with_a_valid_token() {
        Browser browser = server.newBrowser();
        String csrf = TestServer.csrfToken(browser.get("/people").body());
        String form = TestServer.encode(Map.of("_csrf", csrf, "name", "Cross Site"));

        int otherOrigin = browser.send(HttpRequest.newBuilder(server.uri("/people")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString(form)).build()).statusCode();
        int crossSite = browser.send(HttpRequest.newBuilder(server.uri("/people")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.ofString(form)).build()).statusCode();
        int sameOrigin = browser.send(HttpRequest.newBuilder(server.uri("/people")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", server.base).header("Sec-Fetch-Site", "same-origin").POST(HttpRequest.BodyPublishers.ofString(form)).build())
                .statusCode();

        assertThat(otherOrigin).isEqualTo(403);
        assertThat(crossSite).isEqualTo(403);
        assertThat(sameOrigin).isEqualTo(303);
    }

    @Test
    void a_csrf_token_from_another_session_is_refused() {
        Browser alice = server.newBrowser();
        String before = TestServer.csrfToken(alice.get("/people").body());
        alice.signIn(server.account(Role.ADMIN), TestServer.PASSWORD); // a new session for the same browser and CSRF cookie

        HttpResponse<String> stale = alice.postForm("/people", Map.of("_csrf", before, "name", "Old Token"));
        HttpResponse<String> fresh = alice.submit("/people", "/people", Map.of("name", "New Token"));

        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(fresh.statusCode()).isEqualTo(303);
    }

    @Test
    void an_https_public_url_makes_cookies_secure_with_the_host_prefix_and_adds_hsts() {
        Config config = TestServer.config(dir).withSecurity(new Security(false, 480, Optional.of(URI.create("https://registry.example")),
                List.of(), List.of()));
        try (TestServer https = TestServer.startSignedOut(config)) {
            https.account(Role.VIEWER);
            Browser browser = https.anonymousBrowser();
            HttpResponse<String> page = browser.get("/sign-in");

            assertThat(page.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v -> assertThat(v).startsWith("max-age="));
            assertThat(page.headers().allValues("Set-Cookie")).isNotEmpty()
                    .allSatisfy(cookie -> assertThat(cookie).startsWith("__Host-").contains("; Secure", "Path=/", "HttpOnly", "SameSite=Lax"));
            int write = browser.send(HttpRequest.newBuilder(https.uri("/api/people")).header("Content-Type", "application/json")
                    .header("Origin", "https://registry.example").header("Authorization", "Bearer " + https.token(Role.EDITOR, "write"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Over Https\"}")).build()).statusCode();
            assertThat(write).as("the public URL's origin is this site").isEqualTo(201);
        }
    }

    /** Twenty failed sign-ins from a client address, then whether a 21st sign-in from {@code next} is throttled. */
    private static int throttledAfterTwenty(TestServer target, String from, String next) {
        target.account(Role.VIEWER);
        for (int i = 0; i < 20; i++) {
            signInFrom(target, from, "stranger" + i, "wrong-password-" + i);
        }
        return signInFrom(target, next, "viewer", TestServer.PASSWORD);
    }

    private static int signInFrom(TestServer target, String forwardedFor, String username, String password) {
        Browser browser = target.anonymousBrowser();
        String csrf = TestServer.csrfToken(browser.get("/sign-in").body());
        return browser.send(HttpRequest.newBuilder(target.uri("/sign-in")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(Map.of("_csrf", csrf, "username", username, "password", password))))
                .build()).statusCode();
    }

    @Test
    void x_forwarded_for_names_the_client_only_behind_a_trusted_proxy() {
        Config trusting = TestServer.config(dir.resolve("trusting")).withSecurity(new Security(false, 480, Optional.empty(), List.of(),
                List.of("127.0.0.0/8")));
        try (TestServer behindProxy = TestServer.startSignedOut(trusting)) {
            assertThat(throttledAfterTwenty(behindProxy, "198.51.100.7", "198.51.100.8")).as("another client behind the proxy").isEqualTo(303);
            assertThat(signInFrom(behindProxy, "198.51.100.7", "viewer", TestServer.PASSWORD)).as("the failing client").isEqualTo(429);
            assertThat(signInFrom(behindProxy, "203.0.113.9, 198.51.100.7", "viewer", TestServer.PASSWORD))
                    .as("a hop the client made up before the real one").isEqualTo(429);
        }
        try (TestServer direct = TestServer.startSignedOut(TestServer.config(dir.resolve("direct")))) {
            assertThat(throttledAfterTwenty(direct, "198.51.100.7", "198.51.100.8"))
                    .as("without trusted proxies the header is the client's to choose, and ignored").isEqualTo(429);
        }
    }
}
