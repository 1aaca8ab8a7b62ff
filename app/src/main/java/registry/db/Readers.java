package registry.db;

import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * SQLite's read connections, each kept open as a {@link Session} between reads: a read takes an
 * idle one, or opens one while fewer than the pool's size are open, or waits at most the pool
 * timeout for one to come back. A session whose read failed is closed, not kept: what failed may
 * have left it in a state the next read must not inherit.
 *
 * <p>Only for SQLite, whose connections are files that do not go away. A server's connections can
 * break while idle; there the pool checks them, and reads take a connection per read.
 */
final class Readers implements AutoCloseable {
    private final Jdbi jdbi;
    private final long timeoutNanos;
    /**
     * One permit per connection: a read waits here at most the pool timeout. Not fair: handing
     * permits over in order parks and wakes a thread at every read. Measured at 32 connections:
     * fair 3,150 list pages a second, p99 14 ms; not fair 3,490, p99 39 ms (the stack ceiling's 26).
     */
    private final Semaphore permits;
    /** Idle sessions, the most recently used first (its pages are the likeliest in the cache). */
    private final LinkedBlockingDeque<Session> idle = new LinkedBlockingDeque<>();
    /** The session of the read this thread is in, so that nested reads and SQL objects use it. */
    private final ThreadLocal<Session> current = new ThreadLocal<>();
    private final int size;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    Readers(Jdbi jdbi, int size, long timeoutMs) {
        this.jdbi = jdbi;
        this.size = size;
        this.permits = new Semaphore(size);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    <R, X extends Exception> R read(HandleCallback<R, X> work) throws X {
        Session session = current.get();
        if (session != null) {
            return work.withHandle(session.handle);
        }
        acquire();
        try {
            session = idle.pollFirst();
            if (session == null) {
                session = new Session(jdbi.open());
                open.incrementAndGet();
            }
            current.set(session);
            R result;
            try {
                result = work.withHandle(session.handle);
            } catch (Throwable e) {
                open.decrementAndGet();
                try {
                    session.close(); // rolls back what the read left open; JDBI then complains, after the fact
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            } finally {
                current.remove();
            }
            giveBack(session);
            return result;
        } finally {
            permits.release();
        }
    }

    /** A SQL object whose every call reads on the session of the enclosing {@link #read}, or in a read of its own. */
    <D> D dao(Class<D> type) {
        return Session.proxy(type, (method, args) -> {
            Session session = current.get();
            if (session != null) {
                return session.call(type, method, args);
            }
            return read(h -> {
                try {
                    return current.get().call(type, method, args);
                } catch (Throwable e) {
                    throw Session.rethrow(e);
                }
            });
        });
    }

    /** Reads in progress, kept connections idle and open, and reads waiting for a connection. */
    Map<String, Long> stats() {
        return Map.of("active", (long) size - permits.availablePermits(), "idle", (long) idle.size(),
                "total", (long) open.get(), "waiting", (long) permits.getQueueLength());
    }

    private void acquire() {
        try {
            if (permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ConnectionException(new SQLTransientConnectionException("no read connection came free within the pool timeout"));
    }

    private void giveBack(Session session) {
        idle.addFirst(session);
        if (closed && idle.remove(session)) {
            open.decrementAndGet();
            session.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Session session; (session = idle.pollFirst()) != null; ) {
            open.decrementAndGet();
            session.close();
        }
    }
}
