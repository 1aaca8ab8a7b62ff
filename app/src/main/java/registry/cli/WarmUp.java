package registry.cli;

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
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import registry.Server;
import registry.access.Role;
import registry.account.Accounts;
import registry.config.Config;
import registry.web.Signer;

/**
 * A training run for the JVM's class-data archive (see pom.xml): starts on a scratch database,
 * signs in through the form as a browser does, serves one request of each kind to that session,
 * stops. With the archive the classes it loaded start up already parsed and verified, which takes
 * a third off the next start. Every page but sign-in needs an account now, so a run that did not
 * sign in would train only the redirect to it: a request answered otherwise than expected stops
 * the build (exit 2) instead of making an archive that misses the signed-in paths.
 */
@Command(name = "warm-up", hidden = true, description = "Serve a few requests on a scratch database, then stop.")
final class WarmUp implements Callable<Integer> {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String USERNAME = "warm_up";

    private HttpClient http;
    private String base;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("registry-warm-up");
        Config config = Config.defaults().withDatabaseUrl("jdbc:sqlite:" + dir.resolve("warm-up.db")).withPort(0);
        try (Server server = Server.start(config)) {
            // A password nobody knows (256 random bits), on a database deleted at the end.
            String password = Signer.randomToken();
            new Accounts(server.database(), Clock.systemUTC(), config.security().sessionIdleMinutes()).add(USERNAME, Role.ADMIN, password, registry.history.Actor.CLI);
            http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
            base = "http://127.0.0.1:" + server.port();
            expect(get("/users"), 303); // signed out: sent to sign in
            expect(submit("/sign-in", "/sign-in", Map.of("username", USERNAME, "password", password, "next", "/")), 303);
            expect(send(HttpRequest.newBuilder(uri("/api/users")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"warm_up\",\"email\":\"warm@example.org\"}")).build()), 201);
            expect(submit("/users", "/users", Map.of("username", "warm_form", "email", "form@example.org")), 303);
            for (String path : List.of("/", "/health", "/users", "/users?q=warm&sort=email&order=desc", "/users/1",
                    "/users/1/edit", "/users/1/delete", "/users.csv", "/people", "/movies", "/api/users", "/api/me")) {
                expect(get(path), 200);
            }
            expect(get("/nowhere"), 404);
            expect(submit("/", "/sign-out", Map.of()), 303);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).build());
    }

    /** GETs {@code page} and POSTs {@code fields} to {@code action} with the CSRF token of its form, as a browser would. */
    private HttpResponse<String> submit(String page, String action, Map<String, String> fields) throws IOException, InterruptedException {
        HttpResponse<String> form = expect(get(page), 200);
        Matcher token = CSRF.matcher(form.body());
        if (!token.find()) {
            throw new CommandException("warm-up: " + page + " holds no form with a _csrf token");
        }
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", token.group(1));
        String body = all.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(action)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new CommandException("warm-up: " + response.request().method() + " " + response.uri().getRawPath()
                    + " answered " + response.statusCode() + " where " + status + " was expected"
                    + response.headers().firstValue("Location").map(to -> " (to " + to + ")").orElse(""));
        }
        return response;
    }
}
