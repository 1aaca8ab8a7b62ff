package registry.health;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionException;
import registry.db.Database;
import registry.db.Unavailable;

/**
 * Whether the database takes changes. Reads alone can succeed on a database that refuses every
 * change (a read-only file, directory or mount, a read-only replica), and a Registry that cannot
 * save anything is not up. The probe is a write that changes nothing: an UPDATE of no row is still
 * refused by a read-only file, connection or server.
 *
 * <p>On SQLite the probe queues behind the one writer's changes, and an import is one change that
 * may run for minutes: waiting the pool timeout behind it, /health answered 503 and a load balancer
 * would take out an instance doing useful work. So while the writer has a transaction open, the
 * database is taking writes (SQLite gave the writer its write lock, which a read-only file refuses
 * at once) and the probe passes as <em>busy</em> without queueing. Otherwise it queues, for at
 * most {@link #WAIT_MS}: not started by then, it is busy if a transaction has opened meanwhile,
 * else a failure (the writer waits for a lock that another process holds). A read-only database
 * fails at once, as before: no transaction of the writer opens, and the probe runs and is refused.
 * A change that never ended would keep the probe passing; {@code /health/pool} shows the writer.
 */
public final class WriteProbe {
    /**
     * How long a success is believed: /health is polled, and on SQLite the probe queues with the
     * writes. A failure is not kept, so that a database that takes writes again is UP at once.
     */
    static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long the probe waits on SQLite for the writer to take it: an idle writer starts it within milliseconds. */
    static final long WAIT_MS = 2_000;

    /** What the probe found: why the database refuses a change (empty: it takes them), and whether the writer was busy with others. */
    public record Finding(Optional<String> failure, boolean busy) {
        static final Finding WORKS = new Finding(Optional.empty(), false);
        static final Finding BUSY = new Finding(Optional.empty(), true);
    }

    private final Database database;
    /** When writing last worked; {@code null} before then. */
    private volatile Long workedAtNanos;

    public WriteProbe(Database database) {
        this.database = database;
    }

    /** Why the database refuses a change, said for a user; empty when it takes them. Needs the settings table. */
    public Optional<String> failure() {
        return check().failure();
    }

    /** The probe's finding; see the class comment for when a busy writer counts as one that takes changes. */
    public Finding check() {
        Long worked = workedAtNanos;
        if (worked != null && System.nanoTime() - worked < TTL_NANOS) {
            return Finding.WORKS;
        }
        if (database.writing()) {
            return Finding.BUSY; // not believed for the TTL: the next poll looks again
        }
        try {
            database.writeOneWithin(WAIT_MS, h -> h.execute("UPDATE settings SET value = value WHERE 1 = 0"));
            workedAtNanos = System.nanoTime();
            return Finding.WORKS;
        } catch (ConnectionException e) {
            if (database.writing()) {
                return Finding.BUSY;
            }
            return failed(e);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    private static Finding failed(RuntimeException e) {
        return new Finding(Optional.of("The database cannot be written: " + Unavailable.reason(e).orElse(String.valueOf(e.getMessage()))),
                false);
    }
}
