package registry.db;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's checkpoints — copying what the write-ahead log holds into the database file — on a
 * thread of their own, a few times a second while writes come, instead of inside a commit of the
 * writer whenever the log passes 1,000 pages (SQLite's default). A checkpoint writes every page
 * again and, with {@code synchronous=FULL}, syncs the file: in the writer's commit it held up
 * every change queued behind it. A passive checkpoint runs beside the writer and the readers.
 * The writer still checkpoints itself should the log grow past {@link #WRITER_PAGES} (these fall
 * behind: every read connection busy, say).
 */
final class Checkpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    /** How often the log is checked for new commits. */
    static final long EVERY_MS = 100;
    /** The log's size, in pages, at which the writer checkpoints itself in its commit. */
    static final int WRITER_PAGES = 10_000;
    /** How long closing waits for a checkpoint under way. */
    private static final long CLOSE_WAIT_MS = 30_000;

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private final Readers readers;
    private final LongSupplier commits;
    private long checkpointed;

    /** @param commits the writer's commits so far: a checkpoint runs when there were more since the last */
    Checkpoints(Readers readers, LongSupplier commits) {
        this.readers = readers;
        this.commits = commits;
        thread.scheduleWithFixedDelay(this::run, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    private void run() {
        long now = commits.getAsLong();
        if (now == checkpointed) {
            return;
        }
        try {
            readers.read(h -> h.createQuery("PRAGMA wal_checkpoint(PASSIVE)").mapToMap().one());
            checkpointed = now;
        } catch (RuntimeException e) {
            // The next round tries again; meanwhile the writer's own checkpoint bounds the log.
            LOG.debug("checkpoint: {}", e.getMessage());
        }
    }

    /**
     * Waits for a checkpoint under way: its read connection must be back in the pool before the
     * pool closes, or the file stays open after {@link Database#close} (a backup's scrub, the next
     * to open the file, then was not its last connection and its deletes stayed in the log).
     */
    @Override
    public void close() {
        thread.shutdown(); // the next rounds are cancelled; one under way finishes
        try {
            if (!thread.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("a checkpoint still runs after {} s; closing the database under it", CLOSE_WAIT_MS / 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
