package registry.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.TestDb;

/** history.keep-days: with a clock the test sets, entries older than that go, newer ones stay, and 0 keeps all. */
class PurgeTest {
    private static final Instant NOW = Instant.parse("2031-03-10T12:00:00Z");

    @TempDir
    Path dir;

    /** Entries written at {@code ats}, in that order (so ids and times need not agree). */
    private static void written(TestDb db, Instant... ats) {
        db.database.write(h -> {
            for (Instant at : ats) {
                // Written at a time of the test's choosing: the app writes its entries at now.
                h.createUpdate("INSERT INTO history (at, actor, via, action, kind, record_id, label, changes) "
                        + "VALUES (:at, 'cli', 'cli', 'create', 'users', 1, :label, '{}')").bind("at", at).bind("label", "at " + at).execute();
            }
            return null;
        });
    }

    private static List<String> labels(TestDb db) {
        return new History(db.database).after(0, 1000, true).stream().map(Entry::label).toList();
    }

    private static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofSeconds((long) (days * 86_400)));
    }

    @Test
    void entries_older_than_keep_days_go_and_newer_ones_stay() {
        try (TestDb db = TestDb.in(dir)) {
            written(db, daysAgo(40), daysAgo(1), daysAgo(10.001), daysAgo(10), daysAgo(9.999), daysAgo(0));

            long purged = new Purge(db.database, 10, Clock.fixed(NOW, ZoneOffset.UTC)).run(NOW);

            assertThat(purged).isEqualTo(2);
            assertThat(labels(db)).containsExactly("at " + daysAgo(1), "at " + daysAgo(10), "at " + daysAgo(9.999), "at " + daysAgo(0));
        }
    }

    @Test
    void keep_days_0_keeps_every_entry() {
        try (TestDb db = TestDb.in(dir)) {
            written(db, daysAgo(36_000), daysAgo(400), daysAgo(0));

            assertThat(new Purge(db.database, 0, Clock.fixed(NOW, ZoneOffset.UTC)).run(NOW)).isZero();

            assertThat(labels(db)).hasSize(3);
        }
    }

    @Test
    void a_later_run_takes_what_has_grown_old_since() {
        try (TestDb db = TestDb.in(dir)) {
            written(db, daysAgo(3), daysAgo(1));
            Purge purge = new Purge(db.database, 2, Clock.fixed(NOW, ZoneOffset.UTC));

            assertThat(purge.run(NOW)).isEqualTo(1);
            assertThat(purge.run(NOW.plus(Duration.ofDays(1)).plusSeconds(1))).isEqualTo(1);
            assertThat(purge.run(NOW.plus(Duration.ofDays(3)))).isZero();

            assertThat(labels(db)).isEmpty();
        }
    }

    @Test
    void the_schedule_runs_the_purge_at_the_clocks_time() throws InterruptedException {
        try (TestDb db = TestDb.in(dir)) {
            written(db, NOW.minus(Duration.ofDays(6)), NOW.minus(Duration.ofDays(4)));
            // The clock is the test's: a week from the entries' time, whatever the machine's time is.
            Purge purge = new Purge(db.database, 5, Clock.fixed(NOW, ZoneOffset.UTC)).start(Duration.ofMillis(10), Duration.ofDays(1));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (labels(db).size() > 1 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } finally {
                purge.close();
            }
            assertThat(labels(db)).containsExactly("at " + NOW.minus(Duration.ofDays(4)));
        }
    }

    @Test
    void nothing_is_scheduled_when_all_is_kept() {
        try (TestDb db = TestDb.in(dir)) {
            Purge purge = new Purge(db.database, 0, Clock.systemUTC()).start(Duration.ZERO, Duration.ofDays(1));
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("registry-history-purge"));
            purge.close();
        }
    }
}
