package registry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.db.Engine;
import registry.history.History;
import registry.support.TestEngine;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/** GET /metrics: admins only, Prometheus' text format, requests counted by route template. */
class MetricsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void only_an_admin_may_read_it_as_the_access_rules_answer_everyone_else() {
        HttpResponse<String> nobody = server.anonymousBrowser().get("/metrics");
        assertThat(nobody.statusCode()).isEqualTo(303);
        assertThat(nobody.headers().firstValue("Location")).hasValue("/sign-in?next=%2Fmetrics");

        assertThat(server.signedIn(Role.VIEWER).get("/metrics").statusCode()).isEqualTo(403);
        assertThat(server.signedIn(Role.EDITOR).get("/metrics").statusCode()).isEqualTo(403);
        assertThat(withToken(server.token(Role.EDITOR, "write")).statusCode()).isEqualTo(403);
        HttpResponse<String> badToken = withToken("reg_" + "x".repeat(43));
        assertThat(badToken.statusCode()).isEqualTo(401);
        assertThat(badToken.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    }

    @Test
    void an_admins_session_or_token_gets_the_prometheus_text_format() {
        HttpResponse<String> bySession = server.newBrowser().get("/metrics");
        HttpResponse<String> byToken = withToken(server.token(Role.ADMIN, "read"));

        for (HttpResponse<String> answer : List.of(bySession, byToken)) {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(answer.body()).contains("# TYPE jvm_memory_used_bytes gauge");
        }
    }

    @Test
    void a_scraper_that_asks_for_openmetrics_gets_it() {
        HttpResponse<String> answer = server.browser.send(HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").build());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(answer.body()).endsWith("# EOF\n");
    }

    @Test
    void requests_are_counted_by_route_template_method_and_status_never_by_raw_path() throws InterruptedException {
        long id = create("Alien", 1979);
        Map<String, String> found = Map.of("uri", "/api/movies/{id}", "method", "GET", "status", "200");
        Map<String, String> missing = Map.of("uri", "/api/movies/{id}", "method", "GET", "status", "404");
        Map<String, String> noRoute = Map.of("uri", "NOT_FOUND", "method", "GET", "status", "404");
        String count = "http_server_requests_seconds_count";
        String before = scrape();

        for (int i = 0; i < 5; i++) {
            assertThat(server.get("/api/movies/" + id).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(server.get("/api/movies/" + (id + 1000 + i)).statusCode()).isEqualTo(404);
        }
        assertThat(server.get("/no/such/path/" + id).statusCode()).isEqualTo(404);

        String after = settled(count, found, value(before, count, found) + 5);
        assertThat(value(after, count, found)).isEqualTo(value(before, count, found) + 5);
        assertThat(value(after, count, missing)).isEqualTo(value(before, count, missing) + 3);
        assertThat(value(after, count, noRoute)).isEqualTo(value(before, count, noRoute) + 1);
        // Bounded labels: every route is a template or one of the shared names, with no number from a path in it.
        for (Map<String, String> labels : series(after, count).keySet()) {
            assertThat(labels).containsKeys("uri", "method", "status");
            assertThat(labels.get("uri")).as("uri label").matches("/[^0-9]*|NOT_FOUND|UNMATCHED");
        }
        // The latency histogram: fixed buckets, the last of which holds every request.
        Map<String, String> bucket = new LinkedHashMap<>(found);
        bucket.put("le", "0.005");
        assertThat(value(after, "http_server_requests_seconds_bucket", bucket)).isBetween(0.0, value(after, count, found));
        bucket.put("le", "+Inf");
        assertThat(value(after, "http_server_requests_seconds_bucket", bucket)).isEqualTo(value(after, count, found));
        assertThat(value(after, "http_server_requests_seconds_sum", found)).isPositive();
    }

    @Test
    void pools_writer_history_head_and_jvm_are_there() {
        create("Heat", 1995);
        String metrics = scrape();
        long head = server.db.database.read(History::head);

        assertThat(value(metrics, "registry_history_head", Map.of())).isEqualTo(head).isPositive();
        assertThat(series(metrics, "hikaricp_connections_active")).isNotEmpty();
        assertThat(series(metrics, "hikaricp_connections_max")).isNotEmpty();
        assertThat(series(metrics, "jvm_memory_used_bytes")).isNotEmpty();
        assertThat(series(metrics, "jvm_threads_live_threads")).isNotEmpty();
        assertThat(metrics).contains("# TYPE jvm_gc_");
        if (TestEngine.ENGINE == Engine.SQLITE) {
            assertThat(series(metrics, "registry_writer_queue")).isNotEmpty();
            assertThat(value(metrics, "registry_writer_batch_size_count", Map.of())).isPositive();
            assertThat(value(metrics, "registry_writer_batch_size_bucket", Map.of("le", "+Inf")))
                    .isEqualTo(value(metrics, "registry_writer_batch_size_count", Map.of()));
            assertThat(value(metrics, "registry_writer_commits_total", Map.of())).isPositive();
        }
    }

    private static long create(String title, int year) {
        HttpResponse<String> created = server.json("POST", "/api/movies", "{\"title\":\"" + title + "\",\"year\":" + year + "}");
        assertThat(created.statusCode()).isEqualTo(201);
        Matcher m = Pattern.compile("\"id\":(\\d+)").matcher(created.body());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static HttpResponse<String> withToken(String token) {
        return server.anonymousBrowser().withToken(token, "GET", "/metrics", null);
    }

    private static String scrape() {
        HttpResponse<String> answer = server.get("/metrics");
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /**
     * A request is counted once its answer is written, which its client may see a moment before:
     * scrapes until {@code name} reaches {@code expected} (or 5 s pass), so that the test then
     * compares exact figures rather than racing the server.
     */
    private static String settled(String name, Map<String, String> labels, double expected) throws InterruptedException {
        String metrics = scrape();
        for (int i = 0; i < 100 && value(metrics, name, labels) < expected; i++) {
            Thread.sleep(50);
            metrics = scrape();
        }
        return metrics;
    }

    /** The value of the one series of {@code name} whose labels include {@code labels}; 0 when there is none. */
    private static double value(String metrics, String name, Map<String, String> labels) {
        List<Double> values = new ArrayList<>();
        series(metrics, name).forEach((have, value) -> {
            if (have.entrySet().containsAll(labels.entrySet())) {
                values.add(value);
            }
        });
        assertThat(values).as(name + labels).hasSizeLessThanOrEqualTo(1);
        return values.isEmpty() ? 0 : values.get(0);
    }

    /** Every series of {@code name}: its labels, and its value. */
    private static Map<Map<String, String>, Double> series(String metrics, String name) {
        Map<Map<String, String>, Double> series = new LinkedHashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                int end = line.lastIndexOf(' ');
                Map<String, String> labels = new LinkedHashMap<>();
                Matcher m = LABEL.matcher(line.substring(name.length(), end));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
                series.put(labels, Double.parseDouble(line.substring(end + 1)));
            }
        }
        return series;
    }
}
