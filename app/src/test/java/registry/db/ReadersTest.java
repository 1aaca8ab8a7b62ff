package registry.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.support.Holder;
import registry.support.TestDb;

/**
 * SQLite's read sessions against a real file, with one read connection: a TEMP table lives on one
 * connection only, so it tells which connection a read ran on.
 */
@Tag("sqlite-only")
class ReadersTest {
    @TempDir
    Path dir;

    interface Marks {
        @SqlQuery("SELECT count(*) FROM temp.mark")
        int marks();
    }

    private TestDb oneReader(int timeoutSeconds) {
        Config defaults = TestDb.config(dir);
        return TestDb.with(new Config("jdbc:sqlite:" + dir.resolve("registry.db"), false, false, Optional.of(1), timeoutSeconds,
                true, defaults.host(), 0, defaults.secretKey()));
    }

    private static boolean marked(Database database) {
        return database.read(h -> h.createQuery("SELECT count(*) FROM sqlite_temp_master WHERE name = 'mark'")
                .mapTo(Integer.class).one()) == 1;
    }

    @Test
    void a_handle_is_kept_between_reads_and_a_dao_call_inside_a_read_runs_on_its_connection() {
        try (TestDb db = oneReader(5)) {
            Marks marks = db.database.readDao(Marks.class);
            int inside = db.database.read(h -> {
                h.execute("CREATE TEMP TABLE mark (x)");
                h.execute("INSERT INTO temp.mark VALUES (1)");
                return marks.marks(); // with one connection, only the enclosing read's can answer
            });
            Handle first = db.database.read(h -> h);
            Handle second = db.database.read(h -> h);

            assertThat(inside).isEqualTo(1);
            assertThat(second).as("the same handle, its SQL objects attached once").isSameAs(first);
        }
    }

    @Test
    void a_read_that_fails_leaves_nothing_open_for_the_next_read() throws Exception {
        try (TestDb db = oneReader(5)) {
            Handle before = db.database.read(h -> h);
            RuntimeException failure = new IllegalStateException("failed half way");
            Throwable thrown = catchThrowable(() -> db.database.read(h -> {
                h.begin();
                h.execute("CREATE TEMP TABLE mark (x)");
                throw failure;
            }));
            boolean inTransaction = db.database.read(h -> !h.getConnection().getAutoCommit() || h.isInTransaction());
            Handle after = db.database.read(h -> h);

            assertThat(thrown).as("the read's own failure, not one from cleaning up after it").isSameAs(failure);
            assertThat(inTransaction).isFalse();
            assertThat(marked(db.database)).as("the failed read's transaction was rolled back").isFalse();
            assertThat(after).as("a new handle, not the failed read's").isNotSameAs(before);
        }
    }

    @Test
    void a_read_waits_at_most_the_pool_timeout_for_a_connection_then_says_busy() throws Exception {
        try (TestDb db = oneReader(1)) {
            long alone = System.nanoTime();
            db.database.read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            alone = (System.nanoTime() - alone) / 1_000_000;
            Holder holder = Holder.read(db.database);
            long start = System.nanoTime();
            Throwable refused;
            try {
                refused = catchThrowable(() -> db.database.read(h -> h.createQuery("SELECT 1")
                        .mapTo(Integer.class).one()));
            } finally {
                holder.close();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(Unavailable.reason(refused)).hasValueSatisfying(reason -> assertThat(reason).contains("busy"));
            // At most the 1 s pool timeout, not the 30 s default: the margin grows with what a read costs now.
            assertThat(millis).as("against " + alone + " ms uncontended").isBetween(900L, 3_000L + 10 * alone);
            int after = db.database.read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            assertThat(after).as("a read once the connection is back").isEqualTo(1);
        }
    }
}
