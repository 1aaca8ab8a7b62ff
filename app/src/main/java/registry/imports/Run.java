package registry.imports;

import java.util.Map;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import registry.history.Actor;
import registry.history.History;

/**
 * One import under way, as its targets see it: who makes it, its id in the history, and which line
 * took each record. That last is kept in the table {@code import_lines}, inside the import's own
 * transaction, rather than in memory: a file of millions of rows would not fit the heap, and a
 * rolled-back import leaves none behind.
 */
public final class Run {
    private static final String CLAIMED = "SELECT line FROM import_lines WHERE import_id = :id AND record_key = :key";
    private static final String CLAIM = "INSERT INTO import_lines (import_id, record_key, line) VALUES (:id, :key, :line)";
    private static final String CLEAR = "DELETE FROM import_lines WHERE import_id = :id";

    private final String id;
    private final Actor actor;

    Run(String id, Actor actor) {
        this.id = id;
        this.actor = actor;
    }

    /** The import's id, which each of its history entries carries. */
    public String id() {
        return id;
    }

    /** The line of the file that already took the record (or credit) {@code key}, if one did. */
    public OptionalLong claimedBy(Handle h, String key) {
        return h.createQuery(CLAIMED).bind("id", id).bind("key", key).mapTo(Long.class).findOne()
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Notes that {@code line} took the record {@code key}: a later line with the same key is "same as line M". */
    public void claim(Handle h, String key, long line) {
        h.createUpdate(CLAIM).bind("id", id).bind("key", key).bind("line", line).execute();
    }

    /** Writes the history entry of a change the import made, tied to the import. */
    public void history(Handle h, String action, String kind, long recordId, String label, Map<String, ?> changes) {
        History.write(h, actor, action, kind, recordId, label, changes, id);
    }

    void clear(Handle h) {
        h.createUpdate(CLEAR).bind("id", id).execute();
    }
}
