package registry.record;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import registry.db.Engine;

/**
 * The triggers that run for every record inserted, taken off for an import and caught up once at
 * its end, inside the import's transaction: an import rolled back puts the triggers back with
 * everything else, and no other connection ever sees the table without them. Their definitions
 * are read from the schema, never restated here.
 *
 * <p>SQLite: the count in {@code record_counts} ({@code <table>_counted_insert}), dropped and
 * created again: every count update rewrites the same page. The search index's insert trigger
 * does not fire for new rows anyway (changeset 0019): they are indexed together at the end, in
 * one statement, as the writer's catch-up does ({@link RecordSql#catchUp}). Measured on 20,000
 * movies in one transaction (raw JDBC, a loaded machine): insert 148 µs a row with a count and an
 * index trigger, 58 µs without the index's, 33 µs without either; the index of all of them in one
 * statement at the end, 18 µs a row.
 *
 * <p>PostgreSQL: the count ({@code <table>_counted}), disabled and enabled again. Each update of
 * the one {@code record_counts} row adds a version of it that the next update must walk past
 * within the transaction, so an import grew quadratic: 110,000 movies took 529 s (210 rows a
 * second) against 708 rows a second for 13,000. {@code ALTER TABLE … DISABLE TRIGGER} takes a
 * SHARE ROW EXCLUSIVE lock on the table to the commit: reads go on beside it (they take ACCESS
 * SHARE), while other writes of the table wait for the import, as they already did for its turn
 * at the history ({@code History.Imported}) and, for inserts, for the count row. It is taken here,
 * at the start, before the history's turn, so that the import takes its locks in the order every
 * other write does (the table, then the history's turn last): no lock cycle.
 *
 * <p>MariaDB: nothing is taken off. Its DDL commits the transaction it runs in, which would end the
 * import's all or nothing; and InnoDB updates the count row in place, so the count stays linear.
 */
final class InsertTriggers {
    private final Handle h;
    private final Kind<?, ?> kind;
    /** What puts the triggers back, run in this order by {@link #resume}. */
    private final List<String> restore;
    private final boolean counted;
    /** What indexes the new rows for search at the end (SQLite's {@link RecordSql#catchUp}), or null. */
    private final String index;

    private InsertTriggers(Handle h, Kind<?, ?> kind, List<String> restore, boolean counted, String index) {
        this.h = h;
        this.kind = kind;
        this.restore = restore;
        this.counted = counted;
        this.index = index;
    }

    /** Takes off the count trigger of {@code kind}'s inserts (where it has one on this engine). */
    static InsertTriggers suspend(Handle h, Kind<?, ?> kind, RecordSql sql) {
        List<String> restore = new ArrayList<>();
        return switch (Engine.of(h)) {
            case SQLITE -> new InsertTriggers(h, kind, restore, drop(h, kind.table() + "_counted_insert", restore), sql.catchUp);
            case POSTGRESQL -> new InsertTriggers(h, kind, restore, disable(h, kind.table(), kind.table() + "_counted", restore), null);
            case MARIADB -> new InsertTriggers(h, kind, restore, false, null);
        };
    }

    private static boolean drop(Handle h, String name, List<String> restore) {
        return h.createQuery("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name").bind("name", name)
                .mapTo(String.class).findOne()
                .map(definition -> {
                    h.execute("DROP TRIGGER " + name);
                    restore.add(definition);
                    return true;
                }).orElse(false);
    }

    /** Disables trigger {@code name} of {@code table} when it is there and enabled ({@code tgenabled} 'D' is disabled). */
    private static boolean disable(Handle h, String table, String name, List<String> restore) {
        boolean enabled = h.createQuery("SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(:table) AND tgname = :name "
                        + "AND tgenabled <> 'D'").bind("table", table).bind("name", name)
                .mapTo(Long.class).one() > 0;
        if (enabled) {
            h.execute("ALTER TABLE " + table + " DISABLE TRIGGER " + name);
            restore.add("ALTER TABLE " + table + " ENABLE TRIGGER " + name);
        }
        return enabled;
    }

    /** Counts and indexes the {@code created} rows inserted meanwhile, and puts the triggers back. */
    void resume(long created) {
        if (counted) {
            h.createUpdate("UPDATE record_counts SET n = n + :created WHERE name = :table")
                    .bind("created", created).bind("table", kind.table()).execute();
        }
        if (index != null) {
            h.execute(index);
        }
        restore.forEach(h::execute);
    }
}
