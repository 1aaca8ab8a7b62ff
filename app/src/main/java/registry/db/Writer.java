package registry.db;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite's one writer: a thread of its own that runs every change, and commits the changes that
 * queued up while it was busy in one transaction (group commit).
 *
 * <p>Why: SQLite writes one transaction at a time, and a commit costs far more than an insert
 * (the WAL frames of every page touched, the search index's new segment). Committing the waiting
 * inserts together cut the database's time per insert to less than half (measured: 7,000 vs
 * 18,000 inserts a second with the users table's indexes and triggers). The thread also keeps its
 * handle, and the SQL objects attached to it, from one change to the next while changes keep
 * coming ({@link Session}).
 *
 * <p>What a caller sees is unchanged: its change runs in a transaction, and it hears of it only
 * after the commit, so an acknowledged change is never lost. Each change of a batch runs inside a
 * savepoint: one that fails (a duplicate) is undone alone and its caller gets the failure, the
 * others commit. A caller waits at most the pool timeout for its change to start, and a change
 * given up on is never run later.
 *
 * <p>A change must not begin or end transactions of its own; it runs inside the writer's.
 */
final class Writer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    /** The most changes committed together: bounds how long the first of them waits for the commit. */
    private static final int MAX_BATCH = 64;
    /** How long the writer keeps its connection when no change waits, before handing it back to the pool. */
    private static final long LINGER_MS = 200;
    /** How long closing waits for the changes already queued. */
    private static final long CLOSE_WAIT_MS = 30_000;
    /** How often, at most, the catch-ups run while changes keep coming (see {@link #catchUp}). */
    static final long CATCH_UP_MS = 100;

    private final Jdbi jdbi;
    private final long timeoutNanos;
    private final LinkedBlockingDeque<Change<?>> queue = new LinkedBlockingDeque<>();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean closed;
    /** For {@link #stats}, read from other threads. */
    private volatile boolean running;
    private volatile boolean holding;
    /** True while the writer's transaction is open: SQLite gave it the write lock and its changes are running. */
    private volatile boolean writing;
    /** Changes per commit, once {@link #instrument} is called; read by the writer thread only after that. */
    private volatile DistributionSummary batches;

    /** The writer thread's session while it holds one, and the statement that begins and ends its transactions. */
    private Session session;
    private Statement control;

    /** Work that brings what is derived from the rows up to date with them, by name; see {@link #catchUp}. */
    private final Map<String, HandleConsumer<? extends Exception>> catchUps = new ConcurrentHashMap<>();
    /** When the catch-ups last ran, and the commits then: they run again only after later commits (first: at the first chance). Writer thread only. */
    private long caughtUpAt = System.nanoTime();
    private long caughtUpCommits = -1;

    /** Whether {@link Checkpoints} run the log's checkpoints: then the writer's commits leave them. */
    private volatile boolean checkpointsApart;

    Writer(Jdbi jdbi, long timeoutMs) {
        this.jdbi = jdbi;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.thread = new Thread(this::loop, "registry-writer");
        thread.setDaemon(true); // a process that forgets to close the database must still be able to exit
        thread.start();
    }

    /**
     * Runs {@code work} on the writer and returns what it returned, or throws what it threw. Inside
     * a change (on the writer thread) it runs at once, in that change.
     */
    <R, X extends Exception> R run(HandleCallback<R, X> work) throws X {
        return run(work, timeoutNanos);
    }

    /** As {@link #run(HandleCallback)}, waiting at most {@code waitNanos} (not the pool timeout) for the change to start. */
    <R, X extends Exception> R run(HandleCallback<R, X> work, long waitNanos) throws X {
        if (Thread.currentThread() == thread) {
            return work.withHandle(session.handle);
        }
        if (closed) {
            throw new IllegalStateException("the database is closed");
        }
        Change<R> change = new Change<>(work, QueryLog.recording());
        queue.add(change);
        return change.await(waitNanos);
    }

    /**
     * A SQL object whose every call is a change run by the writer: alone, it is a transaction of
     * its own; inside {@link #run}, it joins that change.
     */
    <D> D dao(Class<D> type) {
        return Session.proxy(type, (method, args) -> run(h -> {
            try {
                return session.call(type, method, args);
            } catch (Throwable e) {
                throw Session.rethrow(e);
            }
        }));
    }

    /**
     * Registers {@code work} under {@code name} (again: replaced). The writer runs it in a
     * transaction of its own after its commits: at most every {@link #CATCH_UP_MS} while changes
     * keep coming, and once when they stop. It is work that many changes can share, done once for
     * all of them: SQLite's search index takes the new rows together (changeset 0019). What it
     * brings up to date must be correct to read meanwhile. A failure is logged, and the next round
     * tries again.
     */
    void catchUp(String name, HandleConsumer<? extends Exception> work) {
        catchUps.put(name, work);
    }

    /** Checkpoints run by {@code readers} on a thread of their own from now on, beside the writer's commits. */
    Checkpoints checkpointApart(Readers readers) {
        checkpointsApart = true;
        return new Checkpoints(readers, commits::get);
    }

    /** Whether a transaction of the writer is open now: the database took its write lock, and changes run in it. */
    boolean writing() {
        return writing;
    }

    /**
     * A change running (1 or 0), the connection held idle, held at all, changes waiting, and since
     * the start changes committed and commits made: their ratio is the mean group commit.
     */
    Map<String, Long> stats() {
        long active = running ? 1 : 0;
        long total = holding ? 1 : 0;
        return Map.of("active", active, "idle", total - active, "total", total, "waiting", (long) queue.size(),
                "changes", changes.get(), "commits", commits.get());
    }

    /** Publishes the queue's length, the commits and the batch sizes (changes per commit: the group commit at work). */
    void instrument(MeterRegistry registry) {
        Gauge.builder("registry.writer.queue", queue, LinkedBlockingDeque::size)
                .description("Changes waiting for SQLite's writer").register(registry);
        FunctionCounter.builder("registry.writer.commits", commits, AtomicLong::get)
                .description("Transactions committed by SQLite's writer").register(registry);
        batches = DistributionSummary.builder("registry.writer.batch.size").description("Changes committed together in one transaction")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    }

    /** Runs the changes already queued, then stops the thread and hands the connection back. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(Change.STOP);
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("a change still runs after {} s; closing the database under it", CLOSE_WAIT_MS / 1000);
        }
    }

    private void loop() {
        List<Change<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            Change<?> first;
            try {
                first = session == null ? queue.take() : queue.poll(LINGER_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                catchUp();
                release();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(Change.STOP);
            batch.removeIf(change -> !change.start());
            if (!batch.isEmpty()) {
                running = true;
                try {
                    commit(batch);
                } catch (RuntimeException | Error e) {
                    // A bug here must not stop every later write: the batch fails (a change already answered keeps its answer).
                    LOG.error("the writer failed", e);
                    batch.forEach(change -> change.fail(e));
                    rollback();
                    release();
                } finally {
                    writing = false;
                    running = false;
                }
                if (System.nanoTime() - caughtUpAt >= TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MS)) {
                    catchUp();
                }
            }
            batch.clear();
        }
        catchUp();
        release();
        // A change run again after its transaction was lost can still be queued behind the stop.
        for (Change<?> left; (left = queue.poll()) != null; ) {
            left.fail(new IllegalStateException("the database was closed before this change ran"));
        }
    }

    /**
     * Runs a batch in one transaction and tells each caller its outcome once it is committed (or
     * not). The changes run one after another, as they came; when one fails, all are undone and run
     * again, each inside a savepoint of its own, so that only the one that fails is undone. Not a
     * savepoint for every change from the start: SQLite's search index (FTS5) writes out what it
     * holds at every savepoint, and the savepoints need a statement journal (a temporary file).
     * Under the bench's write load a commit of seven creates made 330 writes with a savepoint each
     * and 122 without (strace of the writer thread); 1,460–1,860 creates a second became 1,900–1,970.
     */
    private void commit(List<Change<?>> batch) {
        if (!begin(batch)) {
            return;
        }
        if (batch.size() > 1) {
            if (runTogether(batch)) {
                finish(batch);
                return;
            }
            rollback();
            if (!begin(batch)) {
                return;
            }
        }
        List<Change<?>> done = runApart(batch);
        if (done != null) {
            finish(done);
        }
    }

    /** Begins the writer's transaction; false, with every change of the batch failed, when the database would not. */
    private boolean begin(List<Change<?>> batch) {
        try {
            acquire();
            control.execute("BEGIN IMMEDIATE");
            writing = true;
            return true;
        } catch (RuntimeException | SQLException e) {
            release();
            batch.forEach(change -> change.fail(unavailable(e)));
            return false;
        }
    }

    /** Runs every change in the open transaction; false at the first that fails (its failure is not kept: it runs again). */
    private boolean runTogether(List<Change<?>> batch) {
        for (Change<?> change : batch) {
            try {
                change.runOn(session.handle);
            } catch (Throwable failure) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs each change in a savepoint of its own (a batch of one: in the transaction alone); a
     * change that fails is undone alone and its caller told. The changes that ran, or null when
     * SQLite ended the transaction under them: then they are queued again, nobody having heard of them.
     */
    private List<Change<?>> runApart(List<Change<?>> batch) {
        List<Change<?>> done = new ArrayList<>(batch.size());
        boolean alone = batch.size() == 1;
        for (int i = 0; i < batch.size(); i++) {
            Change<?> change = batch.get(i);
            try {
                if (!alone) {
                    control.execute("SAVEPOINT change");
                }
                change.runOn(session.handle);
                if (!alone) {
                    control.execute("RELEASE change");
                }
                done.add(change);
            } catch (Throwable failure) {
                change.fail(failure);
                if (alone || !undo()) {
                    // SQLite ended the whole transaction (it may, on a full disk or an I/O error): the
                    // changes before this one were undone with it. Nobody has heard of them: run them again.
                    rollback();
                    requeue(done, batch.subList(i + 1, batch.size()));
                    return null;
                }
            }
        }
        return done;
    }

    /** Commits the changes that ran and answers their callers; if the commit fails, each hears of that. */
    private void finish(List<Change<?>> done) {
        try {
            control.execute("COMMIT");
        } catch (SQLException e) {
            rollback();
            release();
            TransactionException failure = new TransactionException("the commit failed: " + e.getMessage(), e);
            done.forEach(change -> change.fail(failure));
            return;
        }
        commits.incrementAndGet();
        changes.addAndGet(done.size());
        DistributionSummary sizes = batches;
        if (sizes != null) {
            sizes.record(done.size());
        }
        done.forEach(Change::succeed);
    }

    /** Runs the catch-ups in one transaction, if there were commits since they last ran. */
    private void catchUp() {
        caughtUpAt = System.nanoTime();
        long now = commits.get();
        if (catchUps.isEmpty() || now == caughtUpCommits) {
            return;
        }
        running = true;
        try {
            acquire();
            control.execute("BEGIN IMMEDIATE");
            writing = true;
            for (HandleConsumer<? extends Exception> work : catchUps.values()) {
                work.useHandle(session.handle);
            }
            control.execute("COMMIT");
            caughtUpCommits = commits.incrementAndGet();
        } catch (Exception e) {
            LOG.warn("catching up with the writes (tried again after the next): {}", e.getMessage());
            rollback();
        } finally {
            writing = false;
            running = false;
        }
    }

    /** Undoes the failed change alone; false when there was no transaction left to undo it in. */
    private boolean undo() {
        try {
            control.execute("ROLLBACK TO change");
            control.execute("RELEASE change");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void rollback() {
        if (control == null) {
            return;
        }
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            // Already rolled back by SQLite itself: nothing left to undo.
        }
    }

    private void requeue(List<Change<?>> done, List<Change<?>> notRun) {
        List<Change<?>> again = new ArrayList<>(done);
        again.addAll(notRun);
        for (int i = again.size() - 1; i >= 0; i--) {
            queue.addFirst(again.get(i));
        }
    }

    private void acquire() throws SQLException {
        if (session == null) {
            session = new Session(jdbi.open());
            holding = true;
            control = session.handle.getConnection().createStatement();
            if (checkpointsApart) {
                control.execute("PRAGMA wal_autocheckpoint = " + Checkpoints.WRITER_PAGES);
            }
        }
    }

    /** Hands the connection back to the pool, so that others (Liquibase) can have it while no change waits. */
    private void release() {
        if (session == null) {
            return;
        }
        if (checkpointsApart) {
            try {
                control.execute("PRAGMA wal_autocheckpoint = 1000"); // SQLite's default, for whoever takes the connection next
            } catch (SQLException e) {
                LOG.warn("resetting the write connection's checkpoints: {}", e.getMessage());
            }
        }
        try {
            control.close();
            session.close();
        } catch (RuntimeException | SQLException e) {
            LOG.warn("closing the write connection: {}", e.getMessage());
        }
        session = null;
        control = null;
        holding = false;
    }

    /** A connection the pool could not give in time is the database being busy, as for any other request. */
    private static RuntimeException unavailable(Exception e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        return new ConnectionException(e);
    }

    /** One caller's change: queued, then run by the writer, or given up on by its caller first. */
    private static final class Change<R> {
        static final Change<Void> STOP = new Change<>(h -> null, null);
        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int GIVEN_UP = 2;

        private final HandleCallback<R, ? extends Exception> work;
        private final List<QueryLog.Query> recording;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final CompletableFuture<R> outcome = new CompletableFuture<>();
        private R result;
        /** How many statements the request had recorded before this change first ran. */
        private int recorded = -1;

        Change(HandleCallback<R, ? extends Exception> work, List<QueryLog.Query> recording) {
            this.work = work;
            this.recording = recording;
        }

        /** Claims the change for the writer; false when its caller gave up on it. A change run again stays claimed. */
        boolean start() {
            return state.compareAndSet(QUEUED, RUNNING) || state.get() == RUNNING;
        }

        void runOn(Handle handle) throws Exception {
            if (recording != null) {
                // Run again (its batch was undone): its statements are recorded once, as they last ran.
                if (recorded < 0) {
                    recorded = recording.size();
                } else {
                    recording.subList(recorded, recording.size()).clear();
                }
            }
            QueryLog.recordInto(recording);
            try {
                result = work.withHandle(handle);
            } finally {
                QueryLog.recordInto(null);
            }
        }

        void succeed() {
            outcome.complete(result);
        }

        void fail(Throwable failure) {
            outcome.completeExceptionally(failure);
        }

        /**
         * The outcome; waits for it without limit once the writer has started the change (it will
         * be committed or not, and the caller must know which), else at most {@code timeoutNanos}.
         */
        @SuppressWarnings("unchecked")
        <X extends Exception> R await(long timeoutNanos) throws X {
            try {
                try {
                    return outcome.get(timeoutNanos, TimeUnit.NANOSECONDS);
                } catch (TimeoutException | InterruptedException e) {
                    if (state.compareAndSet(QUEUED, GIVEN_UP)) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                        throw new ConnectionException(new SQLTransientConnectionException(
                                "the writer did not start this change within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
                    }
                    return joinUninterruptibly();
                }
            } catch (ExecutionException e) {
                throw (X) Session.rethrow(e.getCause());
            }
        }

        private R joinUninterruptibly() throws ExecutionException {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return outcome.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
