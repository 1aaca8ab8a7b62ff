package registry.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.db.CaseFold;
import registry.history.Actor;
import registry.history.Entry;
import registry.history.History;
import registry.support.TestDb;
import registry.support.TestServer;
import registry.user.User;
import registry.user.UserForm;
import registry.user.Users;

/**
 * SQLite's search index takes the new rows together, a few times a second (changeset 0019): a
 * search finds a record as soon as its write is committed, before the index has it, and through
 * the index after; updates, deletes and restores on either side of the index's highest id keep the
 * index exactly what the rows say (FTS5's own integrity check, against the table).
 */
@Tag("sqlite-only")
class SearchIndexCatchUpTest {
    private static final Actor ACTOR = new Actor("tester", "page");

    @TempDir
    Path dir;

    @Test
    void rows_the_index_has_not_taken_yet_are_found_changed_and_deleted_then_taken_together() throws Exception {
        try (TestDb db = TestDb.sqlite(dir)) {
            Records<User, UserForm> users = new Records<>(db.database, Users.KIND);
            long indexed = create(users, "catch_indexed", "indexed@example.org");
            awaitIndexed(db, indexed);

            // Rows committed by another connection: what the writer's own commits look like until it catches up.
            List<Long> fresh = insertElsewhere(db, "catch_alpha", "catch_bravo", "catch_charlie");
            assertThat(fresh).allSatisfy(id -> assertThat(isIndexed(db, id)).as("indexed at once").isFalse());

            assertThat(found(users, "catch_")).as("long query: the index and the rows above it")
                    .containsExactly("catch_indexed", "catch_alpha", "catch_bravo", "catch_charlie");
            assertThat(found(users, "ch")).as("short query: a LIKE").contains("catch_alpha", "catch_indexed");
            assertThat(found(users, "bravo")).containsExactly("catch_bravo");

            // Changed and deleted before the index has them: the triggers leave the index alone.
            assertThat(users.update(fresh.get(1), 1, new UserForm("catch_delta", "delta@example.org"), ACTOR)).isInstanceOf(Outcome.Done.class);
            assertThat(users.delete(fresh.get(2), 1L, ACTOR)).isInstanceOf(Outcome.Done.class);
            assertThat(found(users, "bravo")).isEmpty();
            assertThat(found(users, "catch_")).containsExactly("catch_indexed", "catch_alpha", "catch_delta");

            // The writer catches up soon after its commits.
            awaitIndexed(db, fresh.get(1));
            assertThat(isIndexed(db, fresh.get(0))).isTrue();
            assertThat(isIndexed(db, fresh.get(2))).as("deleted: never indexed").isFalse();
            assertIndexMatchesRows(db);
            assertThat(found(users, "catch_")).containsExactly("catch_indexed", "catch_alpha", "catch_delta");
            assertThat(found(users, "delta@exa")).containsExactly("catch_delta");
        }
    }

    @Test
    void a_record_restored_below_the_indexes_highest_id_is_indexed_at_once_and_above_it_later() throws Exception {
        try (TestDb db = TestDb.sqlite(dir)) {
            Records<User, UserForm> users = new Records<>(db.database, Users.KIND);
            Restores<User, UserForm> restores = new Restores<>(db.database, users);
            long low = create(users, "restore_low", "low@example.org");
            long top = create(users, "restore_top", "top@example.org");
            awaitIndexed(db, top);

            assertThat(users.delete(low, 1L, ACTOR)).isInstanceOf(Outcome.Done.class);
            assertThat(users.delete(top, 1L, ACTOR)).isInstanceOf(Outcome.Done.class);
            assertIndexMatchesRows(db);
            assertThat(found(users, "restore_")).isEmpty();

            // The top row's deletion took the index's highest id down with it: restored, it is above
            // it and waits for the catch-up; the lower one is below it and the trigger indexes it.
            assertThat(restores.fromTrash(lastEntry(db, top), ACTOR)).isInstanceOf(Outcome.Done.class);
            assertThat(restores.fromTrash(lastEntry(db, low), ACTOR)).isInstanceOf(Outcome.Done.class);
            assertThat(found(users, "restore_")).containsExactly("restore_low", "restore_top");

            awaitIndexed(db, top);
            assertThat(isIndexed(db, low)).isTrue();
            assertIndexMatchesRows(db);
            assertThat(found(users, "restore_")).containsExactly("restore_low", "restore_top");
        }
    }

    @Test
    void an_import_indexes_the_rows_it_creates_before_it_commits_and_its_updates_keep_the_index_true() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"))) {
            long old = server.create("users", "{\"username\":\"import_old\",\"email\":\"old@example.org\"}");
            awaitIndexed(server.db, old);

            HttpResponse<String> imported = server.send(HttpRequest.newBuilder(server.uri("/api/users/import"))
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(
                            "username,email\nimport_new1,new1@example.org\nimport_new2,new2@example.org\nimport_old,changed@example.org\n")).build());

            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            long rows = server.db.database.read(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
            long indexed = server.db.database.read(h -> h.createQuery("SELECT count(*) FROM users_search_docsize").mapTo(Long.class).one());
            assertThat(indexed).as("every row indexed").isEqualTo(rows).isGreaterThanOrEqualTo(3);
            assertIndexMatchesRows(server.db);
            JsonNode found = server.getJson("/api/users?q=changed%40exa");
            assertThat(found.get("items")).extracting(item -> item.get("username").asText()).containsExactly("import_old");
        }
    }

    private static long create(Records<User, UserForm> users, String username, String email) {
        Outcome<User> outcome = users.create(new UserForm(username, email), ACTOR);
        assertThat(outcome).isInstanceOf(Outcome.Done.class);
        return ((Outcome.Done<User>) outcome).value().id();
    }

    /** The usernames a search finds, in id order. */
    private static List<String> found(Records<User, UserForm> users, String q) {
        Page<User> page = users.list(users.query(Map.of("q", q, "size", "100")::get), false);
        assertThat(page.total()).as("total of q=" + q).isEqualTo(page.items().size());
        return page.items().stream().map(User::username).toList();
    }

    /** Inserts users on a connection of its own, as the app writes them, without the app's writer. */
    private static List<Long> insertElsewhere(TestDb db, String... usernames) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.database.connectOutsidePool(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO users (username, username_key, username_search, email, email_key, email_search, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, '2026-12-03T19:00:00.000Z', '2026-12-03T19:00:00.000Z') RETURNING id""")) {
            for (String username : usernames) {
                String email = username + "@example.org";
                Object[] values = {username, CaseFold.fold(username), CaseFold.forSearch(username), email, CaseFold.fold(email), CaseFold.forSearch(email)};
                for (int i = 0; i < values.length; i++) {
                    insert.setObject(i + 1, values[i]);
                }
                try (ResultSet id = insert.executeQuery()) {
                    id.next();
                    ids.add(id.getLong(1));
                }
            }
        }
        return ids;
    }

    private static boolean isIndexed(TestDb db, long id) {
        return db.database.read(h -> h.createQuery("SELECT count(*) FROM users_search_docsize WHERE id = :id").bind("id", id)
                .mapTo(Integer.class).one()) == 1;
    }

    private static void awaitIndexed(TestDb db, long id) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!isIndexed(db, id) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(isIndexed(db, id)).as("user " + id + " indexed by the writer's catch-up").isTrue();
    }

    /** FTS5's integrity check with rank 1 compares the index with the table: it fails on any row missing, extra or stale. */
    private static void assertIndexMatchesRows(TestDb db) throws Exception {
        try (Connection c = db.database.connectOutsidePool(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users_search (users_search, rank) VALUES ('integrity-check', 1)");
        }
    }

    private static Entry lastEntry(TestDb db, long id) {
        return db.database.read(h -> History.ofRecord(h, Users.KIND.path(), id).get(0));
    }
}
