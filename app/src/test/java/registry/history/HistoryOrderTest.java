package registry.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.TestDb;

/**
 * On PostgreSQL and MariaDB two writers run at once: an entry must not become visible before one
 * with a lower id that is still to commit, or a reader of the feed that went past it would never
 * see the other. (SQLite's one writer commits in order by construction.)
 */
@Tag("server-only")
class HistoryOrderTest {
    @TempDir
    Path dir;

    @Test
    void a_second_writer_waits_for_the_first_to_commit_so_entries_become_visible_in_id_order() throws Exception {
        try (TestDb db = TestDb.in(dir); Handle first = Jdbi.open(db.database.connectOutsidePool())) {
            first.begin();
            long early = written(first, 1, "first, committed last");

            CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> db.database.write(h -> written(h, 2, "second")));
            Thread.sleep(500);
            List<String> visibleMeanwhile = new History(db.database).after(0, 100, true).stream().map(Entry::label).toList();
            boolean waited = !second.isDone();
            first.commit();
            long late = second.get(10, TimeUnit.SECONDS);

            assertThat(waited).as("the second writer waits for the first's commit").isTrue();
            assertThat(visibleMeanwhile).as("nothing visible past an entry still to commit").isEmpty();
            assertThat(late).isGreaterThan(early);
            assertThat(new History(db.database).after(0, 100, true).stream().map(Entry::label))
                    .containsExactly("first, committed last", "second");
        }
    }

    /** Writes an entry and reads back its id, inside the same transaction. */
    private static long written(Handle h, long recordId, String label) {
        History.write(h, Actor.CLI, "create", "movies", recordId, label, Map.of());
        return h.createQuery("SELECT max(id) FROM history").mapTo(Long.class).one();
    }
}
