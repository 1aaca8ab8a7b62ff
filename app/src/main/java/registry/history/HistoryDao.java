package registry.history;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.AllowUnusedBindings;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The history table, read ({@link History#write} writes the entries). Every read walks an index
 * and stops at its page: a record's entries by (kind, record_id, id), the feed by the primary key,
 * /changes by (kind, id), (actor, id) or (action, id) when filtered on one of them.
 */
interface HistoryDao {
    String COLUMNS = "id, at, actor, via, action, kind, record_id, label, changes";

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

    @SqlQuery("SELECT COALESCE(MAX(id), 0) FROM history")
    long head();
}
