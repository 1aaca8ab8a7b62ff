package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.Schema;
import registry.support.TestServer;

/**
 * Ten thousand generated requests (odd paths and encodings, huge and negative numbers, invalid
 * UTF-8, repeated parameters, wrong methods, truncated and oversized bodies, odd headers) from a
 * fixed seed, so a failure can be replayed: none may answer 5xx or show a stack trace, and none
 * may change the data, since none is a valid write.
 */
@Tag("slow")
class HostileInputTest {
    private static final long SEED = 20261121L;
    private static final int REQUESTS = 10_000;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private final Random random = new Random(SEED);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final String[] PATHS = {"/", "/users", "/people", "/movies", "/users/1", "/people/1", "/movies/1",
        "/users/1/edit", "/users/1/delete", "/movies/1/credits", "/movies/1/credits/1/actor/delete", "/api/users",
        "/api/people", "/api/movies", "/api/users/1", "/api/movies/1", "/api/movies/1/credits", "/api/movies/1/credits/1/actor",
        "/health", "/static/app.css", "/users.csv", "/movies.csv", "/nowhere", "/static/../pom.xml"};
    private static final String[] ODD = {"", "0", "-1", "-9223372036854775809", "99999999999999999999999999", "1e309", "NaN",
        "%00", "%FF%FE", "%C0%AF", "..%2F..%2F", "%25", "_", "'--", "\"", "<script>", "é", "%E2%80%AE", "a".repeat(3000),
        " ", "%20", "null", "true", "[]", "{}", "1.5", "0x10", "+1"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE"};
    private static final String[] TYPES = {"application/json", "application/json; charset=utf-8", "application/json; charset=bogus",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "*/*", "",
        "application/json;;;", "APPLICATION/JSON"};

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    /** A path; a write never names an existing record, so no request of the run is a valid change. */
    private String path(boolean write) {
        String path = pick(PATHS);
        if (write || random.nextInt(3) == 0) {
            path = path.replaceFirst("/1(?=/|$)", "/" + pick(ODD));
        }
        if (random.nextInt(2) == 0) {
            StringBuilder query = new StringBuilder("?");
            for (int i = random.nextInt(5); i >= 0; i--) {
                query.append(pick(new String[] {"q", "sort", "order", "page", "size", "version", "person_q", "q"}))
                        .append('=').append(pick(ODD)).append('&');
            }
            path += query;
        }
        return path;
    }

    private byte[] body() {
        switch (random.nextInt(9)) {
            case 0:
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes); // mostly invalid UTF-8
                return bytes;
            case 1:
                return "{\"username\":\"bad name\",\"email\":".getBytes(StandardCharsets.UTF_8); // truncated
            case 2:
                return ("{\"username\":" + pick(ODD) + ",\"email\":[1,{}],\"version\":" + pick(ODD) + "}").getBytes(StandardCharsets.UTF_8);
            case 3:
                return ("{\"title\":" + "[".repeat(random.nextInt(3000)) + "}").getBytes(StandardCharsets.UTF_8);
            case 4:
                return ("_csrf=" + pick(ODD) + "&username=" + pick(ODD) + "&email=" + pick(ODD) + "&version=" + pick(ODD)
                        + "&version=2&person_id=" + pick(ODD) + "&role=" + pick(ODD)).getBytes(StandardCharsets.UTF_8);
            case 5:
                return random.nextInt(20) == 0 ? new byte[1024 * 1024 + 1] : new byte[0];
            case 6:
                return ("{\"person_id\":" + pick(ODD) + ",\"role\":\"" + pick(ODD) + "\",\"year\":" + pick(ODD)
                        + ",\"born\":-5,\"name\":\"\\u0000\"}").getBytes(StandardCharsets.UTF_8);
            case 7:
                return "{\"username\":\"dup\",\"username\":\"x y\",\"email\":\"no\"}".getBytes(StandardCharsets.UTF_8);
            default:
                return new byte[0];
        }
    }

    private static Map<String, List<String>> data() throws java.sql.SQLException {
        return server.db.database.read(h -> {
            Map<String, List<String>> all = new TreeMap<>();
            for (String table : List.of("users", "people", "movies", "credits", "record_counts")) {
                all.put(table, Schema.rows(h.getConnection(), "SELECT * FROM " + table + " ORDER BY 1"));
            }
            return all;
        });
    }

    @Test
    void ten_thousand_hostile_requests_get_no_5xx_no_trace_and_change_nothing() throws Exception {
        server.json("POST", "/api/users", "{\"username\":\"victim\",\"email\":\"victim@example.org\"}");
        server.json("POST", "/api/people", "{\"name\":\"Victim Person\"}");
        server.json("POST", "/api/movies", "{\"title\":\"Victim Movie\"}");
        server.json("POST", "/api/movies/1/credits", "{\"person_id\":1,\"role\":\"actor\"}");
        Map<String, List<String>> before = data();
        List<String> failures = new ArrayList<>();
        int raw = 0;

        for (int i = 0; i < REQUESTS; i++) {
            String method = pick(METHODS);
            String path = path(!method.equals("GET") && !method.equals("HEAD"));
            byte[] body = body();
            String type = pick(TYPES);
            if (random.nextInt(4) == 0 || !validUri(path)) {
                raw++;
                check(failures, method + " " + path, rawRequest(method, path, type, body));
                continue;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base + path)).timeout(Duration.ofSeconds(10))
                    .method(method, method.equals("GET") || method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (!type.isEmpty()) {
                request.header("Content-Type", type);
            }
            if (random.nextInt(5) == 0) {
                request.header("Origin", pick(new String[] {"https://evil.example", "null", server.base, "http://127.0.0.1:1"}));
            }
            if (random.nextInt(4) == 0) {
                request.header("Cookie", "registry_csrf=" + pick(ODD).replace(";", "") + "; registry_flash=" + pick(ODD).replace(";", ""));
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                check(failures, method + " " + path, response.statusCode() + "\n" + response.body());
            } catch (java.io.IOException e) {
                // the server may close a connection it refuses (an oversized body, say): not a 5xx
            }
        }

        assertThat(failures).as("5xx or traces").isEmpty();
        assertThat(raw).isGreaterThan(REQUESTS / 5);
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
        assertThat(data()).isEqualTo(before);
    }

    private static boolean validUri(String path) {
        try {
            URI.create(server.base + path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void check(List<String> failures, String request, String response) {
        if (response == null || failures.size() > 20) {
            return;
        }
        int status = Integer.parseInt(response.substring(0, 3));
        if (status >= 500 || response.contains("Exception") || response.contains("at registry.") || response.contains("at io.javalin")) {
            failures.add(request.substring(0, Math.min(200, request.length())) + " -> "
                    + response.substring(0, Math.min(300, response.length())));
        }
    }

    /** A request written by hand, for what HttpClient will not send; returns "status\nbody", or null when cut off. */
    private String rawRequest(String method, String path, String type, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", server.app.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            String target = random.nextInt(10) == 0 ? path.replace("%", "\u00ff") : path;
            request.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (!type.isEmpty()) {
                request.write(("Content-Type: " + type + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            boolean truncated = random.nextInt(3) == 0 && body.length > 1;
            request.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            request.write(body, 0, truncated ? body.length / 2 : body.length);
            out.write(request.toByteArray());
            out.flush();
            if (truncated) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.1 ")) {
                return null;
            }
            int bodyAt = response.indexOf("\r\n\r\n");
            return response.substring(9, 12) + "\n" + (bodyAt < 0 ? "" : response.substring(bodyAt + 4));
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
