package registry.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import registry.db.Database;

/**
 * {@code history.keep-days}: once a day, the entries older than that many days go (SPEC "History
 * and trash"; a purged deletion can no longer be restored). Time comes from the {@link Clock} given,
 * so a test decides what "now" is.
 */
public final class Purge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Purge.class);
    /** The first run after start: soon, but not in the way of the start itself. */
    static final Duration FIRST_RUN = Duration.ofSeconds(30);
    static final Duration PERIOD = Duration.ofDays(1);
    /**
     * Ids per delete transaction: on SQLite every other write waits for it, and 10,000 rows take
     * tens of milliseconds there, where a whole year's history at once could take seconds.
     */
    static final long BATCH = 10_000;

    private final Database database;
    private final int keepDays;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    /** @param keepDays entries older than this many days go; 0 keeps all */
    public Purge(Database database, int keepDays, Clock clock) {
        this.database = database;
        this.keepDays = keepDays;
        this.clock = clock;
    }

    /** Deletes the entries older than {@code keepDays} before {@code now}; how many went (none for 0). */
    public long run(Instant now) {
        if (keepDays <= 0) {
            return 0;
        }
        Instant before = now.minus(Duration.ofDays(keepDays));
        HistoryDao.IdRange old = database.read(h -> h.attach(HistoryDao.class).olderThan(before));
        long purged = 0;
        for (long from = old.low(); old.high() > 0 && from <= old.high(); from += BATCH) {
            long start = from;
            purged += database.write(h -> h.attach(HistoryDao.class).purge(start, start + BATCH, before));
        }
        return purged;
    }

    /** Starts the daily run on a daemon thread, the first one {@link #FIRST_RUN} from now; nothing when all is kept. */
    public Purge start() {
        return start(FIRST_RUN, PERIOD);
    }

    synchronized Purge start(Duration first, Duration period) {
        if (keepDays <= 0 || scheduler != null) {
            return this;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "registry-history-purge");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::runLogged, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** A failed run (the database away for a moment) is logged; the next day's run tries again. */
    private void runLogged() {
        try {
            long purged = run(clock.instant());
            if (purged > 0) {
                LOG.info("Purged {} history entries older than {} days (history.keep-days)", purged, keepDays);
            }
        } catch (RuntimeException e) {
            LOG.warn("The history purge failed; it runs again in a day: {}", e.toString());
        }
    }

    /** Stops the daily run; one in progress is interrupted between its batches at the latest. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }
}
