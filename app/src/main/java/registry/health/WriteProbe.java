package registry.health;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import registry.db.Database;
import registry.db.Unavailable;

/**
 * Whether the database takes changes. Reads alone can succeed on a database that refuses every
 * change (a read-only file, directory or mount, a read-only replica), and a Registry that cannot
 * save anything is not up. The probe is a write that changes nothing: an UPDATE of no row is still
 * refused by a read-only file, connection or server.
 */
public final class WriteProbe {
    /**
     * How long a success is believed: /health is polled, and on SQLite the probe queues with the
     * writes. A failure is not kept, so that a database that takes writes again is UP at once.
     */
    static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Database database;
    /** When writing last worked; {@code null} before then. */
    private volatile Long workedAtNanos;

    public WriteProbe(Database database) {
        this.database = database;
    }

    /** Why the database refuses a change, said for a user; empty when it takes them. Needs the settings table. */
    public Optional<String> failure() {
        Long worked = workedAtNanos;
        if (worked != null && System.nanoTime() - worked < TTL_NANOS) {
            return Optional.empty();
        }
        try {
            database.writeOne(h -> h.execute("UPDATE settings SET value = value WHERE 1 = 0"));
            workedAtNanos = System.nanoTime();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("The database cannot be written: " + Unavailable.reason(e).orElse(String.valueOf(e.getMessage())));
        }
    }
}
