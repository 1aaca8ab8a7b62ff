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
    /** How long an answer is reused: /health is polled, and on SQLite the probe queues with the writes. */
    static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Database database;
    /** The last answer: when it was found, and why writing failed (empty: it worked). */
    private volatile Answer last;

    private record Answer(long atNanos, Optional<String> failure) {}

    public WriteProbe(Database database) {
        this.database = database;
    }

    /** Why the database refuses a change, said for a user; empty when it takes them. Needs the settings table. */
    public Optional<String> failure() {
        Answer answer = last;
        if (answer == null || System.nanoTime() - answer.atNanos() > TTL_NANOS) {
            Optional<String> failure;
            try {
                database.writeOne(h -> h.execute("UPDATE settings SET value = value WHERE 1 = 0"));
                failure = Optional.empty();
            } catch (RuntimeException e) {
                failure = Optional.of("The database cannot be written: " + Unavailable.reason(e).orElse(String.valueOf(e.getMessage())));
            }
            answer = new Answer(System.nanoTime(), failure);
            last = answer;
        }
        return answer.failure();
    }
}
