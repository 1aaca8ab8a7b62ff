package registry.record;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import registry.db.Engine;

/**
 * The triggers that run for every record inserted, taken off for an import and caught up once at
 * its end, inside the import's transaction: an import rolled back puts the triggers back with
 * everything else, and no other connection ever sees the table without them. Their definitions
 * are read from the schema, never restated here.
 *
 * <p>SQLite: the count in {@code record_counts} ({@code <table>_counted_insert}) and the full-text
 * index {@code <table>_search} ({@code <table>_search_insert}), dropped and created again. Row by
 * row they cost more than the insert itself: FTS5 writes out its pending terms whenever another
 * table is written between two of its inserts, and every count update rewrites the same page.
 * Measured on 20,000 movies in one transaction (raw JDBC, a loaded machine): insert 148 µs a row
 * with both triggers, 58 µs without the index's, 33 µs without either; the index of all of them in
 * one statement at the end, 18 µs a row. The index's trigger fires only below the index's highest
 * id since changeset 0019, so not for the new rows here, but it is dropped all the same: a table
 * with any insert trigger makes SQLite keep a statement journal for every insert, and in an
 * import's long transaction that journal went to its file (100,000 movies through the API: 13,000
 * rows a second with the trigger left in place, 24,000 without). Rows the import gives an id of
 * their own may lie below that highest id: they are found by the docsize table, not by id.
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
    private final boolean searched;

    private InsertTriggers(Handle h, Kind<?, ?> kind, List<String> restore, boolean counted, boolean searched) {
        this.h = h;
        this.kind = kind;
        this.restore = restore;
        this.counted = counted;
        this.searched = searched;
    }

    /** Takes off the count and search triggers of {@code kind}'s inserts (those it has on this engine). */
    static InsertTriggers suspend(Handle h, Kind<?, ?> kind) {
        List<String> restore = new ArrayList<>();
        return switch (Engine.of(h)) {
            case SQLITE -> {
                boolean counted = drop(h, kind.table() + "_counted_insert", restore);
                boolean searched = drop(h, kind.table() + "_search_insert", restore);
                yield new InsertTriggers(h, kind, restore, counted, searched);
            }
            case POSTGRESQL -> new InsertTriggers(h, kind, restore, disable(h, kind.table(), kind.table() + "_counted", restore), false);
            case MARIADB -> new InsertTriggers(h, kind, restore, false, false);
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
        if (searched) {
            String columns = kind.fields().stream().filter(Field::isSearched).map(Field::searchColumn).collect(Collectors.joining(", "));
            // The rows not yet indexed are those without a row in the index's docsize table, which has one per indexed row.
            h.execute("INSERT INTO " + kind.table() + "_search (rowid, " + columns + ") SELECT id, " + columns + " FROM " + kind.table()
                    + " WHERE id NOT IN (SELECT id FROM " + kind.table() + "_search_docsize)");
        }
        restore.forEach(h::execute);
    }
}
