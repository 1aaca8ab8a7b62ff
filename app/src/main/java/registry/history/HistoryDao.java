package registry.history;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.AllowUnusedBindings;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The history table, read ({@link History#write} writes the entries). Every read walks an index
 * and stops at its page: a record's entries by (kind, record_id, id), the feed by the primary key,
 * /changes by (kind, id), (actor, id) or (action, id) when filtered on one of them.
 */
interface HistoryDao {
    String COLUMNS = "id, at, actor, via, action, kind, record_id, label, changes, import_id";
    String COLUMNS_D = "d.id, d.at, d.actor, d.via, d.action, d.kind, d.record_id, d.label, d.changes, d.import_id";

    @SqlQuery("SELECT " + COLUMNS + " FROM history WHERE kind = :kind AND record_id = :id ORDER BY id DESC")
    List<Entry> ofRecord(@Bind("kind") String kind, @Bind("id") long id);

    /** The feed: entries after {@code after}, oldest first. */
    @SqlQuery("SELECT " + COLUMNS + " FROM history WHERE id > :after <accounts> ORDER BY id LIMIT :limit")
    List<Entry> after(@Bind("after") long after, @Bind("limit") int limit, @Define("accounts") String accounts);

    /**
     * A page of /changes, newest first. {@code where} is one of {@link History}'s fixed filter
     * texts (never input); the values are bound.
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM history <where> ORDER BY id DESC LIMIT :limit OFFSET :offset")
    @AllowUnusedBindings
    List<Entry> page(@Define("where") String where, @Bind("kind") String kind, @Bind("actor") String actor, @Bind("action") String action,
                     @Bind("limit") int limit, @Bind("offset") long offset);

    /** The same slice counted from the oldest entry: pages past the middle are read from that end. */
    @SqlQuery("SELECT " + COLUMNS + " FROM history <where> ORDER BY id LIMIT :limit OFFSET :offset")
    @AllowUnusedBindings
    List<Entry> pageOldestFirst(@Define("where") String where, @Bind("kind") String kind, @Bind("actor") String actor,
                                @Bind("action") String action, @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM history <where>")
    @AllowUnusedBindings
    long count(@Define("where") String where, @Bind("kind") String kind, @Bind("actor") String actor, @Bind("action") String action);

    @SqlQuery("SELECT " + COLUMNS + " FROM history WHERE id = :id")
    java.util.Optional<Entry> find(@Bind("id") long id);

    /**
     * The trash: deletions of a record of {@code kinds} with no later entry for that record (not
     * restored, its id not taken again), newest first from before the entry {@code before} (pages
     * go on from the last id shown: the same cost at any depth). The (action, id) index finds the
     * deletions, the (kind, record_id, id) index answers each NOT EXISTS with one probe.
     */
    @SqlQuery("SELECT " + COLUMNS_D + """
             FROM history d
            WHERE d.action = 'delete' AND d.kind IN (<kinds>) AND d.id < :before
              AND NOT EXISTS (SELECT 1 FROM history l WHERE l.kind = d.kind AND l.record_id = d.record_id AND l.id > d.id)
            ORDER BY d.id DESC LIMIT :limit""")
    List<Entry> trash(@org.jdbi.v3.sqlobject.customizer.BindList("kinds") List<String> kinds, @Bind("before") long before,
                      @Bind("limit") int limit);

    @SqlQuery(History.HEAD)
    long head();

    /** The ids the purge walks: the lowest and highest of the entries older than {@code before}, by the (at) index. */
    @SqlQuery("SELECT COALESCE(MIN(id), 0) AS low, COALESCE(MAX(id), 0) AS high FROM history WHERE at < :before")
    @org.jdbi.v3.sqlobject.config.RegisterConstructorMapper(IdRange.class)
    IdRange olderThan(@Bind("before") Instant before);

    /** The ids of the entries older than some instant; 0 and 0 when there is none. */
    record IdRange(long low, long high) {}

    /**
     * One batch of the purge: an id range (the primary key bounds the work of one transaction on
     * every engine, where a LIMIT in a subquery is not) of which only the old entries go.
     */
    @SqlUpdate("DELETE FROM history WHERE id >= :from AND id < :to AND at < :before")
    int purge(@Bind("from") long from, @Bind("to") long to, @Bind("before") Instant before);
}
