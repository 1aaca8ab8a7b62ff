package registry.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import registry.db.Database;
import registry.db.Engine;
import registry.db.Prepared;
import registry.db.Timestamps;

/**
 * Who did what: every change of a record, a credit or an account has its entry, written by
 * {@link #write} on the handle of the change itself, so that the two commit or roll back together
 * on every engine (on SQLite, inside the writer's savepoint of that change).
 */
public final class History {
    /** Account entries are for admins: every read leaves them out unless asked. */
    public static final String ACCOUNTS = "accounts";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest label kept; a credit's ("person — role — movie") fits well within it. */
    private static final int LABEL_MAX = 400;

    /**
     * Entries become visible in id order: on PostgreSQL and MariaDB two transactions could take ids
     * 7 and 8 and commit 8 first, and a reader of the feed (after=7... or the stream) that saw 8
     * would never see 7. Each writer first locks this one row and keeps it to its commit, so the
     * next id is taken only after the previous entry is committed. Writes take it as their last
     * step, so it is held for the commit alone (and always last: no lock cycle). SQLite's one
     * writer is in order anyway, and there the turn is not taken: as an UPDATE it cost a third of
     * the write throughput (3,660 → 2,600 creates a second).
     */
    private static final String TAKE_TURN = "SELECT id FROM history_order WHERE id = 1 FOR UPDATE";

    private static final String INSERT = """
            INSERT INTO history (at, actor, via, action, kind, record_id, label, changes, import_id, import_line)
            VALUES (:at, :actor, :via, :action, :kind, :recordId, :label, :changes, :importId, :importLine)""";

    private final HistoryDao reads;

    public History(Database database) {
        this.reads = database.readDao(HistoryDao.class);
    }

    /**
     * Writes the entry of a change on {@code h}, in the change's own transaction, through a kept
     * statement ({@link Prepared#kept}: this runs inside every write). Its id is not read back:
     * nobody needs it there, and on SQLite reading it is one more statement in every write.
     */
    public static void write(Handle h, Actor actor, String action, String kind, long recordId, String label, Map<String, ?> changes) {
        if (Engine.of(h) != Engine.SQLITE) {
            h.createQuery(TAKE_TURN).mapTo(Long.class).one();
        }
        try (Prepared insert = Prepared.kept(h, INSERT)) {
            entry(insert, actor, action, kind, recordId, label, changes).set("importId", null, String.class).set("importLine", null, Long.class)
                    .update();
        } catch (SQLException e) {
            throw Prepared.failed(e);
        }
    }

    /**
     * The entries of one import, one a row it changes, through one prepared statement (see
     * {@link Prepared}); each is tied to the import and the line of the file that made it. On the
     * servers the turn ({@link #TAKE_TURN}) is taken once, before the first: it would be held to
     * the commit anyway.
     */
    public static final class Imported implements AutoCloseable {
        private final Handle h;
        private final Actor actor;
        private final String importId;
        private Prepared insert;

        public Imported(Handle h, Actor actor, String importId) {
            this.h = h;
            this.actor = actor;
            this.importId = importId;
        }

        public void write(long line, String action, String kind, long recordId, String label, Map<String, ?> changes) throws SQLException {
            if (insert == null) {
                if (Engine.of(h) != Engine.SQLITE) {
                    h.createQuery(TAKE_TURN).mapTo(Long.class).one();
                }
                insert = Prepared.of(h, INSERT);
            }
            entry(insert, actor, action, kind, recordId, label, changes).set("importId", importId).set("importLine", line).update();
        }

        @Override
        public void close() {
            if (insert != null) {
                insert.close();
            }
        }
    }

    private static String json(String kind, long recordId, Map<String, ?> changes) {
        try {
            return JSON.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("changes of " + kind + " " + recordId + " are not JSON: " + e.getMessage(), e);
        }
    }

    private static String shown(String label) {
        return label.length() > LABEL_MAX ? label.substring(0, LABEL_MAX - 1) + "…" : label;
    }

    /** Binds what every entry has: all but its import. */
    private static Prepared entry(Prepared insert, Actor actor, String action, String kind, long recordId, String label, Map<String, ?> changes) {
        return insert.set("at", Timestamps.now()).set("actor", actor.name()).set("via", actor.via()).set("action", action)
                .set("kind", kind).set("recordId", recordId).set("label", shown(label)).set("changes", json(kind, recordId, changes));
    }

    /** A record's entries on {@code h}, newest first: inside a change, what it must agree with. */
    public static List<Entry> ofRecord(Handle h, String kind, long id) {
        return h.attach(HistoryDao.class).ofRecord(kind, id);
    }

    /** One entry, by its id. */
    public java.util.Optional<Entry> entry(long id) {
        return reads.find(id);
    }

    /** Deleted records of {@code kinds} not restored since, newest first from before entry {@code before}, at most {@code limit}. */
    public List<Entry> trash(List<String> kinds, long before, int limit) {
        return reads.trash(kinds, before, limit);
    }

    /** A record's entries, newest first (also after it was deleted). */
    public List<Entry> ofRecord(String kind, long id) {
        return reads.ofRecord(kind, id);
    }

    /** Entries after {@code after}, oldest first, at most {@code limit}; account entries only for {@code admin}. */
    public List<Entry> after(long after, int limit, boolean admin) {
        return reads.after(after, limit, admin ? "" : "AND kind <> '" + ACCOUNTS + "'");
    }

    /** The id of the newest entry: the data version every instance agrees on. */
    public long head() {
        return reads.head();
    }

    /** {@link #head()} on a handle already open (a list's read). */
    public static long head(Handle h) {
        return h.createQuery(HEAD).mapTo(Long.class).one();
    }

    /** The newest entry's id, 0 when there is none; the primary key's last entry, whatever the size of the history. */
    static final String HEAD = "SELECT COALESCE(MAX(id), 0) FROM history";

    /** The filters of /changes; null or empty: any. */
    public record Filter(String kind, String actor, String action, boolean admin) {
        /**
         * The WHERE clause: fixed texts chosen by which filters are set, the values bound. Equality on
         * one column then id order is what the (column, id) indexes serve.
         */
        String where() {
            List<String> terms = new ArrayList<>();
            if (set(kind)) {
                terms.add("kind = :kind");
            }
            if (set(actor)) {
                terms.add("actor = :actor");
            }
            if (set(action)) {
                terms.add("action = :action");
            }
            if (!admin) {
                terms.add("kind <> '" + ACCOUNTS + "'");
            }
            return terms.isEmpty() ? "" : "WHERE " + String.join(" AND ", terms);
        }

        private static boolean set(String value) {
            return value != null && !value.isEmpty();
        }
    }

    /** One page of entries and how many match in all. */
    public record Changes(List<Entry> items, long total, int page, int size) {
        public long pageCount() {
            return Math.max(1, (total + size - 1) / size);
        }

        public boolean hasPrevious() {
            return page > 1;
        }

        public boolean hasNext() {
            return (long) page * size < total;
        }
    }

    /**
     * A page of /changes, newest first. Past the middle the slice is read from the oldest end and
     * reversed (as record lists do), so the last page costs what the first does: OFFSET walks every
     * row it skips. The count and the slice are two statements; an entry written between them shifts
     * the page by a row, as on lists.
     */
    public Changes changes(Filter filter, int page, int size) {
        String where = filter.where();
        long total = reads.count(where, filter.kind(), filter.actor(), filter.action());
        long offset = (long) (page - 1) * size;
        if (offset >= total) {
            return new Changes(List.of(), total, page, size);
        }
        if (offset <= total / 2) {
            return new Changes(reads.page(where, filter.kind(), filter.actor(), filter.action(), size, offset), total, page, size);
        }
        int limit = (int) Math.min(size, total - offset);
        List<Entry> items = new ArrayList<>(reads.pageOldestFirst(where, filter.kind(), filter.actor(), filter.action(), limit,
                total - offset - limit));
        Collections.reverse(items);
        return new Changes(items, total, page, size);
    }

    /** The changes of an entry as a map, for pages and JSON. */
    public static Map<String, Object> changesOf(Entry entry) {
        try {
            return JSON.readValue(entry.changes(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("history entry " + entry.id() + " holds no JSON object", e);
        }
    }
}
