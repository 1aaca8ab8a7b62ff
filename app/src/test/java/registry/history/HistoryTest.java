package registry.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/** SPEC "History and trash": every change has its entry, in its transaction; the record history, /changes and the feed. */
class HistoryTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static long id(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Long.parseLong(created.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1"));
    }

    private static long entries() {
        return server.db.database.read(h -> h.createQuery("SELECT COUNT(*) FROM history").mapTo(Long.class).one());
    }

    @Test
    void create_update_and_delete_each_write_one_entry_with_who_how_and_what() {
        long id = id(server.json("POST", "/api/people", "{\"name\":\"Chantal Akerman\",\"born\":1950}"));
        server.json("PUT", "/api/people/" + id, "{\"name\":\"Chantal Akerman\",\"born\":1951,\"version\":1}");
        server.json("DELETE", "/api/people/" + id, null);

        HttpResponse<String> history = server.get("/api/people/" + id + "/history");

        assertThat(history.statusCode()).as("a deleted record's history stays").isEqualTo(200);
        String body = history.body();
        assertThat(body).contains("\"actor\":\"admin\"", "\"via\":\"api\"");
        assertThat(body.indexOf("\"action\":\"delete\"")).as("newest first").isLessThan(body.indexOf("\"action\":\"update\""));
        assertThat(body.indexOf("\"action\":\"update\"")).isLessThan(body.indexOf("\"action\":\"create\""));
        assertThat(body).contains("\"changes\":{\"born\":[1950,1951]}").as("an update keeps only what changed, before and after")
                .contains("\"changes\":{\"name\":\"Chantal Akerman\",\"born\":1950}")
                .contains("\"changes\":{\"name\":\"Chantal Akerman\",\"born\":1951,\"credits\":[]}");
    }

    @Test
    void a_refused_change_leaves_no_entry() {
        long movie = id(server.json("POST", "/api/movies", "{\"title\":\"Jeanne Dielman\",\"year\":1975}"));
        id(server.json("POST", "/api/users", "{\"username\":\"taken_one\",\"email\":\"taken@example.org\"}"));
        long before = entries();

        int duplicate = server.json("POST", "/api/users", "{\"username\":\"TAKEN_ONE\",\"email\":\"other@example.org\"}").statusCode();
        int stale = server.json("PUT", "/api/movies/" + movie, "{\"title\":\"Stale\",\"year\":1975,\"version\":7}").statusCode();
        int invalid = server.json("POST", "/api/movies", "{\"title\":\"\"}").statusCode();
        int missing = server.json("DELETE", "/api/movies/999999", null).statusCode();

        assertThat(List.of(duplicate, stale, invalid, missing)).containsExactly(409, 409, 422, 404);
        assertThat(entries()).isEqualTo(before);
    }

    @Test
    void changes_that_queue_together_and_partly_fail_leave_one_entry_per_change_made() throws Exception {
        String token = server.token(Role.EDITOR, "write");
        long before = entries();
        // Eight clients at once, every other create a duplicate of another's: on SQLite they queue for
        // the writer and commit in groups, where a failing change is undone alone with its entry.
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String name = "grouped_" + (i / 2);
            String email = "grouped" + i + "@example.org";
            answers.add(clients.submit(() -> server.anonymousBrowser().withToken(token, "POST", "/api/users",
                    "{\"username\":\"" + name + "\",\"email\":\"" + email + "\"}").statusCode()));
        }
        int created = 0;
        for (java.util.concurrent.Future<Integer> answer : answers) {
            int status = answer.get();
            assertThat(status).isIn(201, 409);
            created += status == 201 ? 1 : 0;
        }
        clients.shutdown();
        long rows = server.db.database.read(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE username LIKE 'grouped!_%' ESCAPE '!'")
                .mapTo(Long.class).one());
        long createEntries = server.db.database.read(h -> h.createQuery(
                "SELECT COUNT(*) FROM history WHERE kind = 'users' AND action = 'create' AND label LIKE 'grouped!_%' ESCAPE '!'").mapTo(Long.class).one());

        assertThat(created).as("one of each pair").isEqualTo(40);
        assertThat(rows).isEqualTo(40);
        assertThat(createEntries).as("an entry for each change made, none for those refused").isEqualTo(40);
        assertThat(entries() - before).isEqualTo(40);
    }

    @Test
    void a_delete_keeps_the_credits_removed_with_it_and_credits_have_entries_of_their_own() {
        long movie = id(server.json("POST", "/api/movies", "{\"title\":\"News from Home\",\"year\":1977}"));
        long person = id(server.json("POST", "/api/people", "{\"name\":\"Babette Mangolte\"}"));
        assertThat(server.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":" + person + ",\"role\":\"producer\"}").statusCode())
                .isEqualTo(201);

        server.json("DELETE", "/api/movies/" + movie, null);
        String history = server.get("/api/movies/" + movie + "/history").body();
        String credits = server.get("/api/changes?after=0&limit=1000").body();

        assertThat(history).contains("\"credits\":[{\"movie_id\":" + movie + ",\"person_id\":" + person + ",\"role\":\"producer\"}]");
        assertThat(credits).contains("\"kind\":\"credits\"", "\"label\":\"Babette Mangolte — producer — News from Home\"");
    }

    @Test
    void a_token_and_a_page_are_named_as_how_the_change_came() {
        String token = server.token(Role.EDITOR, "write");
        long id = id(server.anonymousBrowser().withToken(token, "POST", "/api/movies", "{\"title\":\"By Token\"}"));
        Browser editor = server.signedIn(Role.EDITOR);
        String location = editor.submit("/movies", "/movies", Map.of("title", "By Page")).headers().firstValue("Location").orElseThrow();

        String byToken = server.get("/api/movies/" + id + "/history").body();
        String byPage = server.get("/api" + location + "/history").body();

        assertThat(byToken).contains("\"actor\":\"editor\"", "\"via\":\"token:editor-write-");
        assertThat(byPage).contains("\"actor\":\"editor\"", "\"via\":\"page\"");
    }

    @Test
    void a_record_that_never_existed_has_no_history() {
        assertThat(server.get("/api/users/999999/history").statusCode()).isEqualTo(404);
        assertThat(server.get("/users/999999/history").statusCode()).isEqualTo(404);
        assertThat(server.get("/users/abc/history").statusCode()).isEqualTo(404);
    }

    @Test
    void the_record_history_page_shows_each_change_from_before_to_after_and_is_linked_from_the_record() {
        long id = id(server.json("POST", "/api/users", "{\"username\":\"renamed\",\"email\":\"old@example.org\"}"));
        server.json("PUT", "/api/users/" + id, "{\"username\":\"renamed\",\"email\":\"new@example.org\",\"version\":1}");
        Browser viewer = server.signedIn(Role.VIEWER);

        String record = viewer.get("/users/" + id).body();
        HttpResponse<String> page = viewer.get("/users/" + id + "/history");

        assertThat(record).contains("href=\"/users/" + id + "/history\"");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("History of user renamed", "<del>old@example.org</del> &rarr; <ins>new@example.org</ins>", "admin");
    }

    @Test
    void changes_are_filtered_and_paged_and_the_feed_continues_after_an_id() {
        for (int i = 0; i < 3; i++) {
            server.json("POST", "/api/movies", "{\"title\":\"Feed " + i + "\"}");
        }
        long head = entries();

        String filtered = server.get("/changes?kind=movies&action=create&actor=admin&size=2").body();
        String ignored = server.get("/changes?kind=nonsense&action=%27--&page=-4&size=abc").body();
        HttpResponse<String> feed = server.get("/api/changes?after=" + (head - 2) + "&limit=1");
        HttpResponse<String> end = server.get("/api/changes?after=" + (head + 100));

        assertThat(filtered).contains("Feed 2", "Feed 1").doesNotContain("Feed 0").contains("page 1 of");
        assertThat(ignored).contains("Feed 2");
        assertThat(feed.body()).contains("\"label\":\"Feed 1\"").doesNotContain("Feed 2").endsWith("\"next\":" + (head - 1) + "}");
        assertThat(end.body()).isEqualTo("{\"items\":[],\"next\":" + (head + 100) + "}");
        assertThat(server.get("/api/changes?after=x").statusCode()).isEqualTo(400);
    }

    @Test
    void the_history_is_for_accounts_even_where_records_are_public() {
        assertThat(server.anonymousBrowser().get("/changes").statusCode()).isEqualTo(303);
        assertThat(server.anonymousBrowser().get("/api/changes").statusCode()).isEqualTo(401);
        assertThat(server.signedIn(Role.VIEWER).get("/api/changes").statusCode()).isEqualTo(200);
    }

    @Test
    void every_page_of_changes_holds_the_same_entries_whichever_end_it_is_read_from() {
        List<Long> ids = new java.util.ArrayList<>();
        Actor pager = new Actor("pager", "api");
        for (int i = 0; i < 7; i++) {
            int n = i;
            ids.add(0, server.db.database.write(h -> {
                History.write(h, pager, "create", "movies", 900_000 + n, "Paged " + n, Map.of());
                return h.createQuery("SELECT max(id) FROM history").mapTo(Long.class).one();
            }));
        }
        History history = new History(server.db.database);
        History.Filter filter = new History.Filter("", "pager", "", false);

        List<List<Long>> pages = new java.util.ArrayList<>();
        for (int page = 1; page <= 5; page++) {
            pages.add(history.changes(filter, page, 2).items().stream().map(Entry::id).toList());
        }

        assertThat(history.changes(filter, 1, 2).total()).isEqualTo(7);
        assertThat(pages).as("newest first; pages 3 and 4 are past the middle and read from the oldest end")
                .containsExactly(ids.subList(0, 2), ids.subList(2, 4), ids.subList(4, 6), ids.subList(6, 7), List.of());
        assertThat(history.changes(filter, 2, 4).items().stream().map(Entry::id).toList()).isEqualTo(ids.subList(4, 7));
    }
}
