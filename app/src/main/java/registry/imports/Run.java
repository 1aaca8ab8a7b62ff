package registry.imports;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import registry.db.Prepared;
import registry.history.Actor;
import registry.history.History;

/**
 * One import under way, as its targets see it: who makes it, its id in the history, and which line
 * of the file took each record. A line that changed a record says so in its history entry
 * ({@code import_line}); one that found a record unchanged, or a credit, in {@code import_lines}.
 * Both live in the import's own transaction rather than in memory: a file of millions of rows
 * would not fit the heap, and a rolled-back import leaves nothing behind. Its statements are
 * prepared on the import's handle at first use and closed with it.
 */
public final class Run implements AutoCloseable {
    private static final String CLAIMED = "SELECT line FROM import_lines WHERE import_id = :id AND record_key = :key";
    private static final String CLAIM = "INSERT INTO import_lines (import_id, record_key, line) VALUES (:id, :key, :line)";
    private static final String CLEAR = "DELETE FROM import_lines WHERE import_id = :id";
    /** The line that changed a record, from its history: the record's index, then the import's id. */
    private static final String CHANGED = "SELECT import_line FROM history WHERE kind = :kind AND record_id = :recordId AND import_id = :id";

    private final String id;
    private final Actor actor;
    private Handle h;
    private Prepared claimed;
    private Prepared claim;
    private Prepared changed;
    private History.Imported entries;

    Run(String id, Actor actor) {
        this.id = id;
        this.actor = actor;
    }

    /** Binds the run to the handle of its transaction. */
    void on(Handle handle) {
        this.h = handle;
        this.entries = new History.Imported(handle, actor, id);
    }

    /** The import's id, which each of its history entries carries. */
    public String id() {
        return id;
    }

    /** The line of the file that already took the record {@code recordId} of {@code kind}, if one did (changed or unchanged). */
    public OptionalLong claimedBy(String kind, long recordId) throws SQLException {
        if (changed == null) {
            changed = Prepared.of(h, CHANGED);
        }
        try (ResultSet rs = changed.set("kind", kind).set("recordId", recordId).set("id", id).query()) {
            if (rs.next()) {
                return OptionalLong.of(rs.getLong(1));
            }
        }
        return claimedBy(kind + ":" + recordId);
    }

    /** The line of the file that already took {@code key} (a record found unchanged, a credit), if one did. */
    public OptionalLong claimedBy(String key) throws SQLException {
        if (claimed == null) {
            claimed = Prepared.of(h, CLAIMED);
        }
        try (ResultSet rs = claimed.set("id", id).set("key", key).query()) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
    }

    /** Notes that {@code line} found the record {@code recordId} of {@code kind} as the file has it. */
    public void claimUnchanged(String kind, long recordId, long line) throws SQLException {
        claim(kind + ":" + recordId, line);
    }

    /** Notes that {@code line} took {@code key}: a later line with the same key is "same as line M". */
    public void claim(String key, long line) throws SQLException {
        if (claim == null) {
            claim = Prepared.of(h, CLAIM);
        }
        claim.set("id", id).set("key", key).set("line", line).update();
    }

    /** Writes the history entry of the change that {@code line} made, tied to the import; it also claims the record. */
    public void history(long line, String action, String kind, long recordId, String label, Map<String, ?> changes) throws SQLException {
        entries.write(line, action, kind, recordId, label, changes);
    }

    /** Forgets the claims of an import that is kept: they served its checks only. */
    void clear() {
        h.createUpdate(CLEAR).bind("id", id).execute();
    }

    @Override
    public void close() {
        for (AutoCloseable statement : new AutoCloseable[] {claimed, claim, changed, entries}) {
            try {
                if (statement != null) {
                    statement.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
