package registry.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private int port;
    /** The cookies the server set, by name, as a browser keeps them (the session's, a flash). */
    private final Map<String, String> cookies = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("registry-warm-up");
        Config config = Config.defaults().withDatabaseUrl("jdbc:sqlite:" + dir.resolve("warm-up.db")).withPort(0);
        try (Server server = Server.start(config)) {
            // A password nobody knows (256 random bits), on a database deleted at the end.
            String password = Signer.randomToken();
            new Accounts(server.database(), Clock.systemUTC(), config.security().sessionIdleMinutes()).add(USERNAME, Role.ADMIN, password, registry.history.Actor.CLI);
            port = server.port();
            expect(get("/users"), 303); // signed out: sent to sign in
            expect(submit("/sign-in", "/sign-in", Map.of("username", USERNAME, "password", password, "next", "/")), 303);
            expect(send("POST", "/api/users", "application/json", "{\"username\":\"warm_up\",\"email\":\"warm@example.org\"}"), 201);
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

    private Answer get(String path) throws IOException {
        return send("GET", path, null, null);
    }

    /** GETs {@code page} and POSTs {@code fields} to {@code action} with the CSRF token of its form, as a browser would. */
    private Answer submit(String page, String action, Map<String, String> fields) throws IOException {
        Answer form = expect(get(page), 200);
        Matcher token = CSRF.matcher(form.body());
        if (!token.find()) {
            throw new CommandException("warm-up: " + page + " holds no form with a _csrf token");
        }
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", token.group(1));
        String body = all.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send("POST", action, "application/x-www-form-urlencoded", body);
    }

    /**
     * One HTTP/1.1 exchange on a connection of its own, over a plain socket: the JDK's HTTP client
     * would put itself, and the TLS classes it loads, into the archive (784 classes that every
     * start maps and patches and no server uses).
     */
    private Answer send(String method, String path, String contentType, String body) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
        if (!cookies.isEmpty()) {
            head.append("Cookie: ").append(cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; "))).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] raw;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            raw = socket.getInputStream().readAllBytes(); // Connection: close, so the answer ends with the stream
        }
        Answer answer = Answer.parse(method, path, raw);
        for (String set : answer.headers("set-cookie")) {
            String[] pair = set.split(";", 2)[0].split("=", 2);
            boolean gone = pair[1].isEmpty() || set.toLowerCase(Locale.ROOT).contains("max-age=0");
            if (gone) {
                cookies.remove(pair[0].strip());
            } else {
                cookies.put(pair[0].strip(), pair[1].strip());
            }
        }
        return answer;
    }

    private static Answer expect(Answer answer, int status) {
        if (answer.status() != status) {
            throw new CommandException("warm-up: " + answer.method() + " " + answer.path() + " answered " + answer.status()
                    + " where " + status + " was expected" + answer.headers("location").stream().map(to -> " (to " + to + ")").findFirst().orElse(""));
        }
        return answer;
    }

    /** An answer as read off the socket: its status, headers (their values by lower-case name), and body (unchunked). */
    private record Answer(String method, String path, int status, Map<String, List<String>> headers, String body) {
        private static final byte[] CRLF = {'\r', '\n'};

        static Answer parse(String method, String path, byte[] raw) {
            int end = indexOf(raw, new byte[] {'\r', '\n', '\r', '\n'}, 0);
            if (end < 0) {
                throw new CommandException("warm-up: " + method + " " + path + " got no complete answer");
            }
            String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
            byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
            if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
                body = unchunk(body);
            }
            return new Answer(method, path, Integer.parseInt(lines[0].split(" ", 3)[1]), headers, new String(body, StandardCharsets.UTF_8));
        }

        List<String> headers(String lowerCaseName) {
            return headers.getOrDefault(lowerCaseName, List.of());
        }

        private static byte[] unchunk(byte[] chunked) {
            ByteArrayOutputStream body = new ByteArrayOutputStream(chunked.length);
            int at = 0;
            while (true) {
                int lineEnd = indexOf(chunked, CRLF, at);
                int length = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";", 2)[0].strip(), 16);
                if (length == 0) {
                    return body.toByteArray();
                }
                body.write(chunked, lineEnd + 2, length);
                at = lineEnd + 2 + length + 2;
            }
        }

        private static int indexOf(byte[] in, byte[] what, int from) {
            outer:
            for (int i = from; i <= in.length - what.length; i++) {
                for (int j = 0; j < what.length; j++) {
                    if (in[i + j] != what[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
