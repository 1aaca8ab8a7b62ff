package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.support.Holder;
import registry.support.TestDb;

/** SQLite's writer against a real file: changes that queue together commit together, each keeping its own outcome. */
@Tag("sqlite-only")
class WriterTest {
    @TempDir
    Path dir;

    interface Names {
        @SqlUpdate("INSERT INTO settings (name, value) VALUES (:name, 'v')")
        void insert(@Bind("name") String name);

        @SqlQuery("SELECT count(*) FROM settings WHERE name LIKE 'writer.%'")
        int count();

        @SqlQuery("SELECT value FROM settings WHERE name = :name")
        Optional<String> find(@Bind("name") String name);
    }

    /** Waits until every thread is parked waiting for its change: then each change is in the writer's queue. */
    private static void untilWaiting(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
                Thread.sleep(5);
            }
        }
    }

    @Test
    void changes_queued_while_the_writer_is_busy_commit_together_and_a_duplicate_fails_alone() throws Exception {
        try (TestDb db = TestDb.sqlite(dir)) {
            Names writes = db.database.writeDao(Names.class);
            Names reads = db.database.readDao(Names.class);
            writes.insert("writer.taken");
            Holder holder = Holder.write(db.database);
            long commitsBefore = db.database.poolStats().get("write").get("commits");

            List<String> names = List.of("writer.a", "writer.b", "writer.taken", "writer.c", "writer.d");
            List<Thread> callers = new ArrayList<>();
            Map<String, Throwable> failures = new java.util.concurrent.ConcurrentHashMap<>();
            for (String name : names) {
                Thread caller = new Thread(() -> {
                    try {
                        writes.insert(name);
                    } catch (RuntimeException e) {
                        failures.put(name, e);
                    }
                });
                caller.start();
                callers.add(caller);
                untilWaiting(List.of(caller)); // queued in this order
            }
            holder.close();
            for (Thread caller : callers) {
                caller.join();
            }

            assertThat(failures).containsOnlyKeys("writer.taken");
            assertThat(failures.get("writer.taken")).isInstanceOfSatisfying(org.jdbi.v3.core.JdbiException.class,
                    e -> assertThat(UniqueViolation.column(e)).contains("name"));
            assertThat(reads.count()).as("the taken name once, and the four new ones").isEqualTo(5);
            assertThat(db.database.poolStats().get("write").get("commits") - commitsBefore)
                    .as("the holder's commit, then one for the five queued changes").isEqualTo(2);
        }
    }

    @Test
    void a_change_whose_caller_gave_up_waiting_is_never_run() throws Exception {
        Config defaults = TestDb.config(dir);
        Config oneSecond = new Config("jdbc:sqlite:" + dir.resolve("registry.db"), false, false, defaults.poolSize(), 1,
                true, defaults.host(), 0, defaults.secretKey());
        try (TestDb db = TestDb.with(oneSecond)) {
            Names writes = db.database.writeDao(Names.class);
            long alone = System.nanoTime();
            writes.insert("timing.alone");
            alone = (System.nanoTime() - alone) / 1_000_000;
            Holder holder = Holder.write(db.database);
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                long start = System.nanoTime();
                Future<Throwable> refused = caller.submit(() -> {
                    try {
                        writes.insert("writer.late");
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                Throwable failure = refused.get(10, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - start) / 1_000_000;

                assertThat(failure).isNotNull();
                assertThat(Unavailable.reason(failure)).hasValueSatisfying(reason -> assertThat(reason).contains("busy"));
                // At most the 1 s pool timeout, not the 30 s default: the margin grows with what a change costs now.
                assertThat(millis).as("against " + alone + " ms uncontended").isBetween(900L, 3_000L + 10 * alone);
            } finally {
                holder.close();
                caller.shutdown();
            }
            writes.insert("writer.after");
            assertThat(db.database.readDao(Names.class).find("writer.late")).as("given up on: never written").isEmpty();
            assertThat(db.database.readDao(Names.class).find("writer.after")).isPresent();
        }
    }

    @Test
    void a_change_that_fails_rolls_back_all_it_wrote_and_later_changes_go_on() {
        try (TestDb db = TestDb.sqlite(dir)) {
            Names writes = db.database.writeDao(Names.class);
            RuntimeException thrown = new IllegalStateException("changed my mind");
            Throwable failure = null;
            try {
                db.database.write(h -> {
                    writes.insert("writer.half");
                    throw thrown;
                });
            } catch (IllegalStateException e) {
                failure = e;
            }
            writes.insert("writer.next");

            assertThat(failure).as("the change's own exception, as thrown").isSameAs(thrown);
            Names reads = db.database.readDao(Names.class);
            assertThat(reads.find("writer.half")).isEmpty();
            assertThat(reads.find("writer.next")).isPresent();
        }
    }

    @Test
    void in_a_batch_a_change_that_fails_after_writing_is_undone_alone_and_the_others_run_once() throws Exception {
        try (TestDb db = TestDb.sqlite(dir)) {
            Names writes = db.database.writeDao(Names.class);
            Holder holder = Holder.write(db.database);
            long commitsBefore = db.database.poolStats().get("write").get("commits");
            List<Thread> callers = new ArrayList<>();
            Map<String, Object> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
            for (String name : List.of("writer.first", "writer.half", "writer.last")) {
                Thread caller = new Thread(() -> {
                    QueryLog.startRecording();
                    try {
                        db.database.write(h -> {
                            writes.insert(name);
                            writes.insert(name + ".second");
                            if (name.equals("writer.half")) {
                                throw new IllegalStateException("changed my mind");
                            }
                            return null;
                        });
                        outcomes.put(name, QueryLog.recorded().size());
                    } catch (RuntimeException e) {
                        outcomes.put(name, e);
                    } finally {
                        QueryLog.stopRecording();
                    }
                });
                caller.start();
                callers.add(caller);
                untilWaiting(List.of(caller));
            }
            holder.close();
            for (Thread caller : callers) {
                caller.join();
            }

            assertThat(outcomes.get("writer.half")).isInstanceOf(IllegalStateException.class);
            // Run twice (together, then each in its savepoint): each statement is recorded as it last ran.
            assertThat(outcomes).containsEntry("writer.first", 2).containsEntry("writer.last", 2);
            Names reads = db.database.readDao(Names.class);
            assertThat(reads.find("writer.half")).as("undone with the change that failed").isEmpty();
            assertThat(reads.find("writer.half.second")).isEmpty();
            assertThat(reads.count()).as("both rows of the two others, once each").isEqualTo(4);
            assertThat(db.database.poolStats().get("write").get("commits") - commitsBefore).isEqualTo(2);
        }
    }
}
