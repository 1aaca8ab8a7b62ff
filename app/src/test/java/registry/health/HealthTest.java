package registry.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import registry.config.Config;
import org.junit.jupiter.api.io.TempDir;
import registry.cli.MainAccess;
import registry.db.Engine;
import registry.support.TestDb;
import registry.support.TestEngine;
import registry.support.TestServer;

class HealthTest {
    @TempDir
    Path dir;

    @Test
    void health_is_up_with_a_current_schema() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> response = server.get("/health");

            assertThat(response.statusCode()).isEqualTo(200);
            // A write of the start (the default browser's sign-in) may still hold the writer: then it says so.
            assertThat(response.body()).matches("\\{\"status\":\"UP\",\"database\":\"UP\",\"schema\":\"current\"(,\"writer\":\"busy\")?}");
        }
    }

    @Test
    void pool_statistics_show_connections_in_use_idle_and_waiting() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> response = server.get("/health/pool");

            assertThat(response.statusCode()).isEqualTo(200);
            // SQLite's single writer has a pool of its own; the server engines share one.
            String[] pools = TestEngine.ENGINE == Engine.SQLITE ? new String[] {"\"read\":{", "\"write\":{", "\"commits\":"}
                    : new String[] {"\"shared\":{"};
            assertThat(response.body()).contains(pools).contains("\"active\":0", "\"waiting\":0", "\"idle\":");
        }
    }

    @Test
    void health_is_503_when_the_schema_is_behind() {
        try (TestServer server = TestServer.start(dir)) {
            server.db.database.write(h -> h.execute("DELETE FROM DATABASECHANGELOG WHERE id = '0002-create-settings'"));

            HttpResponse<String> response = server.get("/health");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("\"database\":\"UP\"", "\"schema\":\"behind\"", "0002-create-settings");
        }
    }

    @Test
    @org.junit.jupiter.api.Tag("slow")
    void pages_api_and_health_say_the_schema_is_behind_until_db_upgrade_then_recover() {
        try (TestServer server = TestServer.start(dir)) {
            assertThat(server.json("POST", "/api/movies", "{\"title\":\"Behind\"}").statusCode()).isEqualTo(201);
            String url = server.db.config.databaseUrl();
            // Back to before the credits changeset: it and every one after it.
            long sinceCredits = server.db.migrations.history().stream().dropWhile(a -> !a.changeSet().id().equals("0010-create-credits")).count();
            MainAccess.Run down = MainAccess.run("db", "downgrade", Long.toString(sinceCredits), "--yes", "--no-backup", "--database-url", url);
            assertThat(down.code()).as(down.err()).isZero();
            assertThat(down.out()).contains("0010-create-credits");

            HttpResponse<String> page = server.get("/movies/1");
            HttpResponse<String> api = server.get("/api/movies/1/credits");
            HttpResponse<String> health = server.get("/health");

            assertThat(page.statusCode()).as(page.body()).isEqualTo(503);
            assertThat(page.body()).contains("schema is behind", "db upgrade");
            assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
            assertThat(api.body()).startsWith("{\"error\":").contains("schema is behind", "db upgrade");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"schema\":\"behind\"", "0010-create-credits");

            MainAccess.Run up = MainAccess.run("db", "upgrade", "--no-backup", "--database-url", url);
            assertThat(up.code()).as(up.err()).isZero();

            // The downgrade took the accounts tables with it: the admin is made again and signs in.
            TestServer.Browser again = server.newBrowser();
            assertThat(again.get("/movies/1").statusCode()).isEqualTo(200);
            assertThat(again.get("/api/movies/1/credits").statusCode()).isEqualTo(200);
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void health_is_503_when_the_database_is_unreachable() {
        try (TestServer server = TestServer.start(dir)) {
            server.db.database.close();

            HttpResponse<String> response = server.get("/health");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("\"status\":\"DOWN\"", "\"database\":\"DOWN\"");
        }
    }

    @Test
    @Tag("sqlite-only")
    void health_is_503_with_the_reason_when_the_database_file_is_opened_read_only() {
        Config config = TestDb.config(dir);
        TestDb.with(config).close(); // a current schema, as a user would have it
        // As root (the tests' user) a chmod 0444 file is still written; SQLite's read-only open is what a
        // read-only file or directory gives any other user.
        Config readOnly = config.withDatabaseUrl(config.databaseUrl().replace("jdbc:sqlite:", "jdbc:sqlite:file:") + "?mode=ro");
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (TestServer server = TestServer.startSignedOut(readOnly)) {
            System.setErr(stderr);
            assertThat(log.toString(StandardCharsets.UTF_8)).as("the start's log")
                    .contains("WARN", "The database cannot be written", "every change will be refused");

            HttpResponse<String> response = server.get("/health");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("\"status\":\"DOWN\"", "\"database\":\"DOWN\"", "\"schema\":\"current\"",
                    "cannot be written", "SQLITE_READONLY");
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    @Tag("sqlite-only")
    void health_is_503_when_the_database_stops_taking_writes_while_serving() {
        try (TestServer server = TestServer.start(dir)) {
            server.db.database.writeOne(h -> h.execute("PRAGMA query_only = 1"));

            // After that commit the writer opens a transaction of its own to catch up (query_only lets a
            // BEGIN through, which a read-only file would not): meanwhile the probe passes as busy. Only that.
            HttpResponse<String> response = server.get("/health");
            for (long end = System.nanoTime() + 5_000_000_000L; response.statusCode() == 200 && System.nanoTime() < end; ) {
                assertThat(response.body()).contains("\"writer\":\"busy\"");
                response = server.get("/health");
            }

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.body()).contains("\"database\":\"DOWN\"", "cannot be written");
        }
    }

    @Test
    @Tag("slow")
    @Tag("sqlite-only")
    void health_stays_up_and_answers_at_once_while_an_import_holds_the_writer() throws Exception {
        // SQLite's one writer runs the whole import as one change; the probe used to queue behind it for the pool timeout.
        StringBuilder csv = new StringBuilder("title,year\n");
        // Some seconds of import: SQLite imports 10,000 to 25,000 rows a second here.
        for (int i = 0; i < 40_000; i++) {
            csv.append("Health Import ").append(i).append(',').append(1900 + i % 100).append('\n');
        }
        try (TestServer server = TestServer.start(dir)) {
            // A success is believed for 5 s and says nothing of the writer: the probe must be due again when the import runs.
            Thread.sleep(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(WriteProbe.TTL_NANOS) + 500);
            java.util.concurrent.CompletableFuture<HttpResponse<String>> big = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    server.send(java.net.http.HttpRequest.newBuilder(server.uri("/api/movies/import")).header("Content-Type", "text/csv")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv.toString())).build()));
            while (!server.db.database.writing() && !big.isDone()) { // the upload is spooled before the writer takes it
                Thread.sleep(5);
            }
            int busy = 0;
            long slowest = 0;
            while (!big.isDone()) {
                long start = System.nanoTime();
                HttpResponse<String> health = server.get("/health");
                slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                if (health.body().contains("\"writer\":\"busy\"")) {
                    busy++;
                    assertThat(health.body()).contains("\"status\":\"UP\"", "\"database\":\"UP\"");
                }
                Thread.sleep(100);
            }

            assertThat(big.get().statusCode()).as(big.get().body()).isEqualTo(200);
            assertThat(busy).as("answers while the import held the writer").isGreaterThanOrEqualTo(1);
            assertThat(slowest).as("ms for the slowest /health").isLessThan(1000);
            assertThat(server.get("/health").body()).as("idle again").isEqualTo("{\"status\":\"UP\",\"database\":\"UP\",\"schema\":\"current\"}");
        }
    }

    @Test
    void errors_under_health_are_json_not_pages() {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> missing = server.get("/health/nothing");
            HttpResponse<String> wrongMethod = server.json("POST", "/health/pool", "{}");
            HttpResponse<String> notHealth = server.get("/healthy");

            for (HttpResponse<String> response : java.util.List.of(missing, wrongMethod)) {
                assertThat(response.statusCode()).isBetween(400, 499);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
                assertThat(response.body()).startsWith("{\"error\":");
            }
            assertThat(missing.body()).contains("/health/nothing");
            assertThat(notHealth.statusCode()).isEqualTo(404);
            assertThat(notHealth.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        }
    }
}
