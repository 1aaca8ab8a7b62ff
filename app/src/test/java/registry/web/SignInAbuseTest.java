package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.access.Role;
import registry.config.Security;
import registry.support.TestServer;

/**
 * What a client that tries too hard gets: sign-ins with absurd input, a bearer token of a mebibyte,
 * a thousand wrong passwords in a row. Each is answered at once with a 4xx, never a 5xx, and
 * everyone else is served meanwhile. The server believes X-Forwarded-For from 127.0.0.1, so each
 * test is its own client (throttling by address is per client).
 */
class SignInAbuseTest {
    @TempDir
    static Path dir;

    static TestServer server;

    @BeforeAll
    static void start() {
        Security proxied = new Security(false, Security.SESSION_IDLE_MINUTES, Optional.empty(), List.of(), List.of("127.0.0.1/32"));
        server = TestServer.start(TestServer.config(dir).withSecurity(proxied));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The sign-in form's CSRF token, asked for by {@code client}. */
    private static String csrf(TestServer.Browser browser, String client) {
        return TestServer.csrfToken(browser.send(HttpRequest.newBuilder(server.uri("/sign-in")).header("X-Forwarded-For", client).build()).body());
    }

    private static HttpResponse<String> signIn(TestServer.Browser browser, String client, String token, String username, String password) {
        return browser.send(HttpRequest.newBuilder(server.uri("/sign-in")).header("X-Forwarded-For", client)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.encode(Map.of("username", username, "password", password, "_csrf", token))))
                .build());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Test
    void a_password_of_ten_thousand_characters_is_422_at_once_and_never_shown() {
        TestServer.Browser browser = server.anonymousBrowser();
        String token = csrf(browser, "198.51.100.10");

        long start = System.nanoTime();
        HttpResponse<String> answer = signIn(browser, "198.51.100.10", token, server.account(Role.VIEWER), "p".repeat(10_000));

        assertThat(millisSince(start)).isLessThan(1_000);
        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("Wrong username or password").doesNotContain("p".repeat(50));
    }

    @Test
    void a_username_with_control_characters_is_422() {
        TestServer.Browser browser = server.anonymousBrowser();
        String token = csrf(browser, "198.51.100.20");

        for (String username : List.of("ad\u0000min", "view\u001ber", "editor\u007f", "admin\r\nSet-Cookie: a=b", "\u0000".repeat(300))) {
            long start = System.nanoTime();
            HttpResponse<String> answer = signIn(browser, "198.51.100.20", token, username, TestServer.PASSWORD);

            assertThat(answer.statusCode()).as(username).isEqualTo(422);
            assertThat(answer.body()).contains("Wrong username or password");
            assertThat(answer.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("a="));
            assertThat(millisSince(start)).isLessThan(1_000);
        }
    }

    /**
     * Written by hand, the request line and headers only: the server refuses once it has read more
     * headers than it takes (8 KiB), while the client may still be writing the rest, so the writing
     * runs beside the reading and may fail without failing the test.
     */
    @Test
    void a_bearer_token_of_a_mebibyte_is_refused_at_once_without_a_5xx() throws Exception {
        long start = System.nanoTime();
        String status;
        CompletableFuture<Void> writing;
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            byte[] request = ("GET /api/people HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer reg_" + "t".repeat(1024 * 1024)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(request);
                    out.flush();
                } catch (java.io.IOException e) {
                    // the server stopped reading after its refusal, or the socket was closed: expected
                }
            });
            InputStream in = socket.getInputStream();
            byte[] line = new byte[12];
            int read = 0;
            while (read < line.length) {
                int n = in.read(line, read, line.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            status = new String(line, 0, read, StandardCharsets.US_ASCII);
        }
        writing.get(10, TimeUnit.SECONDS); // the socket is closed: a write still blocked has failed

        assertThat(status).matches("HTTP/1\\.1 (431|401)");
        assertThat(millisSince(start)).isLessThan(3_000);
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void a_thousand_wrong_passwords_get_422_then_429_each_at_once_while_others_are_served() throws Exception {
        String attacker = "203.0.113.66";
        String victim = server.account(Role.EDITOR);
        TestServer.Browser browser = server.anonymousBrowser();
        String token = csrf(browser, attacker);
        TestServer.Browser reader = server.signedIn(Role.VIEWER);
        AtomicBoolean attacking = new AtomicBoolean(true);
        CompletableFuture<List<Long>> meanwhile = CompletableFuture.supplyAsync(() -> {
            List<Long> times = new ArrayList<>();
            while (attacking.get()) {
                long start = System.nanoTime();
                assertThat(reader.get("/people").statusCode()).isEqualTo(200);
                times.add(millisSince(start));
            }
            return times;
        });
        List<Integer> statuses = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<String> retryAfter = new ArrayList<>();
        try {
            for (int i = 0; i < 1_000; i++) {
                long start = System.nanoTime();
                HttpResponse<String> answer = signIn(browser, attacker, token, victim, "wrong-password-" + i);
                times.add(millisSince(start));
                statuses.add(answer.statusCode());
                answer.headers().firstValue("Retry-After").ifPresent(retryAfter::add);
                if (i == 500) {
                    TestServer.Browser other = server.anonymousBrowser();
                    String otherToken = csrf(other, "203.0.113.77");
                    long otherStart = System.nanoTime();
                    HttpResponse<String> otherSignIn = signIn(other, "203.0.113.77", otherToken, server.account(Role.ADMIN), TestServer.PASSWORD);
                    long otherSignInMillis = millisSince(otherStart);
                    assertThat(otherSignIn.statusCode()).as("another client's sign-in meanwhile").isEqualTo(303);
                    assertThat(otherSignInMillis).as("another client's sign-in meanwhile").isLessThan(2_000);
                }
            }
        } finally {
            attacking.set(false);
        }

        assertThat(statuses.subList(0, 5)).containsOnly(422);
        assertThat(statuses.subList(5, statuses.size())).containsOnly(429);
        assertThat(retryAfter).hasSize(995).allSatisfy(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 900L));
        assertThat(times.subList(0, 5)).allSatisfy(ms -> assertThat(ms).as("a wrong password").isLessThan(2_000));
        assertThat(times.subList(5, times.size())).allSatisfy(ms -> assertThat(ms).as("a throttled sign-in").isLessThan(1_000));
        assertThat(meanwhile.get(30, TimeUnit.SECONDS)).isNotEmpty().allSatisfy(ms -> assertThat(ms).as("a reader meanwhile").isLessThan(1_000));
    }
}
