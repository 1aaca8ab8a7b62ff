package registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.ChildApp;
import registry.support.Schema;

/**
 * kill -9 under load, five times over: every write the app acknowledged is in the database with
 * the content it acknowledged and has exactly one history entry of its own, no entry is without
 * its row, the database passes its integrity check, and the app serves again at once.
 */
@Tag("sqlite-only")
@Tag("slow")
class KillTest {
    private static final int CLIENTS = 16;
    private static final Random RANDOM = new Random(20261121);

    @TempDir
    Path dir;

    /** Acknowledged state: username → the email last acknowledged for it. */
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** Username → the email of an update sent but not (yet) acknowledged: it may or may not have been written. */
    private final Map<String, String> inFlight = new ConcurrentHashMap<>();
    /** Usernames whose update was acknowledged (each user is updated once at most). */
    private final Set<String> updated = ConcurrentHashMap.newKeySet();

    @Test
    void acknowledged_writes_survive_five_kills() throws Exception {
        Path db = dir.resolve("registry.db");
        long firstStartMs = 0;
        for (int round = 1; round <= 5; round++) {
            long started = System.nanoTime();
            try (ChildApp app = ChildApp.start(db)) {
                String base = app.base();
                long startMs = (System.nanoTime() - started) / 1_000_000;
                token = app.writeToken();
                if (round == 1) {
                    // The first start, on a new file, does more than any restart (it creates the schema):
                    // it is this machine's cost of a start, as loaded as it is now.
                    firstStartMs = startMs;
                } else {
                    // "At once": no recovery step, no wait for a lock the killed process held. Such a wait
                    // lasts a timeout (SQLite's busy timeout is the 30 s pool timeout; Liquibase's lock
                    // wait is minutes), far beyond a start that costs what the first one did.
                    assertThat(startMs).as("round " + round + " serves at once: against the first start's "
                            + firstStartMs + " ms").isLessThan(2 * firstStartMs + 10_000);
                }
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    String prefix = "k" + round + "_" + c + "_";
                    Thread client = new Thread(() -> write(base, prefix));
                    client.start();
                    clients.add(client);
                }
                // Killed at a random moment once writes are flowing, counted in acknowledged writes
                // rather than in time: a cold JVM on a busy machine answers its first requests slowly.
                int before = acknowledged.size();
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (acknowledged.size() - before < CLIENTS && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(acknowledged.size() - before).as("writes acknowledged before kill " + round).isGreaterThanOrEqualTo(CLIENTS);
                Thread.sleep(200 + RANDOM.nextInt(1000));
                assertThat(clients).as("clients still writing at kill " + round).allMatch(Thread::isAlive);
                app.process().destroyForcibly(); // SIGKILL
                assertThat(app.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                for (Thread client : clients) {
                    client.join(30_000);
                }
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                assertThat(Schema.rows(c, "PRAGMA integrity_check")).as("after kill " + round).containsExactly("ok");
                Map<String, String> stored = new ConcurrentHashMap<>();
                for (String row : Schema.rows(c, "SELECT username, email FROM users")) {
                    String[] parts = row.split("\\|");
                    stored.put(parts[0], parts[1]);
                }
                assertThat(stored.keySet()).as("after kill " + round).containsAll(acknowledged.keySet());
                for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                    assertThat(stored.get(ack.getKey())).as(ack.getKey() + " after kill " + round)
                            .isIn(ack.getValue(), inFlight.get(ack.getKey()));
                }
                historyMatches(c, stored, "after kill " + round);
            }
        }
        assertThat(updated).as("acknowledged updates whose entries were checked").isNotEmpty();
    }

    /**
     * The history agrees with the rows, as SPEC "History and trash" says: never a change without its
     * entry, nor an entry without its change. Every acknowledged create has exactly one create entry
     * (by username: each name is sent once), every stored user exactly as many update entries as it
     * was updated (one for an acknowledged update, none or one for an update cut off by the kill,
     * whichever the row shows), and every entry's record exists unless a later delete entry says
     * it went.
     */
    private void historyMatches(Connection c, Map<String, String> stored, String when) throws Exception {
        Map<String, Integer> creates = new ConcurrentHashMap<>();
        Map<String, Integer> updates = new ConcurrentHashMap<>();
        Map<Long, Long> deletedAt = new ConcurrentHashMap<>();
        List<long[]> entries = new ArrayList<>(); // entry id, record id
        for (String row : Schema.rows(c, "SELECT id, action, record_id, label FROM history WHERE kind = 'users' ORDER BY id")) {
            String[] parts = row.split("\\|", 4);
            long entry = Long.parseLong(parts[0]);
            long record = Long.parseLong(parts[2]);
            switch (parts[1]) {
                case "create" -> creates.merge(parts[3], 1, Integer::sum);
                case "update" -> updates.merge(parts[3], 1, Integer::sum);
                case "delete" -> deletedAt.put(record, entry);
                default -> { }
            }
            entries.add(new long[] {entry, record});
        }
        for (String name : acknowledged.keySet()) {
            assertThat(creates.get(name)).as("create entries of " + name + " " + when).isEqualTo(1);
        }
        for (String name : updated) {
            assertThat(updates.get(name)).as("update entries of " + name + " " + when).isEqualTo(1);
        }
        for (Map.Entry<String, String> row : stored.entrySet()) {
            int expected = row.getValue().endsWith("@updated.example.org") ? 1 : 0;
            assertThat(updates.getOrDefault(row.getKey(), 0)).as("update entries of stored " + row.getKey() + " " + when).isEqualTo(expected);
            assertThat(creates.get(row.getKey())).as("create entries of stored " + row.getKey() + " " + when).isEqualTo(1);
        }
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        Schema.rows(c, "SELECT id FROM users").forEach(id -> ids.add(Long.parseLong(id)));
        for (long[] entry : entries) {
            Long deleted = deletedAt.get(entry[1]);
            if (deleted == null || deleted < entry[0]) {
                assertThat(ids).as("the user of history entry " + entry[0] + " " + when).contains(entry[1]);
            }
        }
    }

    /** Creates users and updates each once, noting every acknowledged result, until the app dies. */
    private void write(String base, String prefix) {
        HttpClient http = HttpClient.newHttpClient();
        for (int n = 0; ; n++) {
            String name = prefix + n;
            try {
                HttpResponse<String> created = http.send(json(base + "/api/users", "POST",
                        "{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.org\"}"), HttpResponse.BodyHandlers.ofString());
                if (created.statusCode() != 201) {
                    continue;
                }
                acknowledged.put(name, name + "@example.org");
                String id = created.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1");
                String email = name + "@updated.example.org";
                inFlight.put(name, email);
                HttpResponse<String> updated = http.send(json(base + "/api/users/" + id, "PUT",
                        "{\"username\":\"" + name + "\",\"email\":\"" + email + "\",\"version\":1}"), HttpResponse.BodyHandlers.ofString());
                if (updated.statusCode() == 200) {
                    this.updated.add(name);
                    acknowledged.put(name, email);
                    inFlight.remove(name);
                }
            } catch (Exception e) {
                return; // the app was killed: what was acknowledged is noted, the rest may or may not be there
            }
        }
    }

    /** The write token of the current round's app. */
    private volatile String token;

    private HttpRequest json(String url, String method, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
