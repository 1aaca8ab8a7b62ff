package registry.record;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementCustomizers;
import registry.db.CaseFold;
import registry.db.Database;
import registry.db.Engine;
import registry.db.Prepared;
import registry.db.Timestamps;
import registry.db.UniqueViolation;
import registry.history.Actor;
import registry.history.History;

/**
 * The records of one kind: paging, search, optimistic locking, duplicates and the outcome of each
 * change, done once for every kind with the SQL of {@link RecordSql}. The pages, the API and the
 * CSV export all go through here.
 *
 * @param <R> the row record
 * @param <F> the form record
 */
public final class Records<R extends Record & Row, F extends Record> {
    /** Rows fetched at a time by a CSV export on the servers. */
    private static final int EXPORT_BATCH = 500;
    static final String LAST_ROWID = "SELECT last_insert_rowid()";

    private final Database database;
    private final Kind<R, F> kind;
    private final RecordSql sql;
    private final Listing<R> listing;
    /** Pages of the list as {@link #shown} made them, by view: {@link #SHOWN_BUDGET} bytes of heap of them. */
    private final Versioned<Shown> shown = new Versioned<>(SHOWN_BUDGET, page -> heapBytes((String) page));

    /**
     * The budget of kept pages, per kind: about 580 pages of 20 users (7 KB each). Any page of
     * the list that someone reads again before the next change is then made once.
     */
    static final long SHOWN_BUDGET = 4L << 20;

    /**
     * The heap a page's characters take: one byte each when all are Latin-1, two otherwise (the
     * JVM's compact strings). Counting characters alone let pages of Greek or Chinese names hold
     * twice the budget.
     */
    static long heapBytes(String page) {
        for (int i = 0; i < page.length(); i++) {
            if (page.charAt(i) > 0xFF) {
                return 2L * page.length();
            }
        }
        return page.length();
    }

    /** A view of the list, and which variant of its page (what it shows depends on who reads it only as far as this says). */
    private record Shown(ListQuery query, String variant) {}

    public Records(Database database, Kind<R, F> kind) {
        this.database = database;
        this.kind = kind;
        this.sql = new RecordSql(kind, database.engine());
        this.listing = new Listing<>(kind, sql, database.engine());
        if (sql.catchUp != null) {
            database.catchUp(kind.table() + " search", h -> h.execute(sql.catchUp));
        }
    }

    public Kind<R, F> kind() {
        return kind;
    }

    /** The kind's SQL in this database's engine, for the import and restores of its records. */
    RecordSql sql() {
        return sql;
    }

    /** What a list's query parameters may ask of this kind. */
    public ListQuery query(java.util.function.Function<String, String> parameter) {
        return ListQuery.from(parameter, kind.sortable(), kind.filters());
    }

    /**
     * One page: the total and a slice, with the cursor of the page after it (null on the last),
     * and the facet counts when {@code withFacets}. They are statements outside a transaction (a
     * read transaction costs more than the page): a write between them can shift the page by a
     * row, which the next page shows anyway.
     */
    public Page<R> list(ListQuery query, boolean withFacets) {
        return database.read(h -> list(h, query, withFacets, Listing.version(h)));
    }

    private Page<R> list(Handle h, ListQuery query, boolean withFacets, LongSupplier version) {
        long total = listing.total(h, query, version);
        List<R> items = listing.page(h, query, total, version);
        boolean more = query.offset() + items.size() < total;
        return new Page<>(items, query, total, more ? next(query, items) : null,
                withFacets ? listing.facets(h, query, version) : Map.of());
    }

    /**
     * What {@code show} makes of a page of the list with its facets ({@link #list}): made once per
     * data version for each view and {@code variant}, and kept. What it makes must be the same for
     * everyone who asks with the same variant: never a form token, a flash or a name.
     */
    public String shown(ListQuery query, String variant, java.util.function.Function<Page<R>, String> show) {
        return database.read(h -> {
            long version = History.head(h);
            return shown.get(new Shown(query, variant), version, () -> show.apply(list(h, query, true, () -> version)));
        });
    }

    /**
     * The page after a cursor's key, in the cursor's view: empty when {@code cursor} is not one
     * this kind's list wrote. Records inserted or deleted meanwhile before the key move no record
     * after it: none is skipped or shown twice that was there all along.
     */
    public Optional<Page<R>> after(String cursor, boolean withFacets) {
        return Cursor.read(cursor, kind, listing).map(read -> database.read(h -> {
            ListQuery query = read.query();
            LongSupplier version = Listing.version(h);
            long total = listing.total(h, query, version);
            List<R> items = listing.after(h, query, read.key(), 0, query.size() + 1L);
            boolean more = items.size() > query.size();
            List<R> shown = more ? items.subList(0, query.size()) : items;
            return new Page<>(List.copyOf(shown), query, total, more ? next(query, shown) : null,
                    withFacets ? listing.facets(h, query, version) : Map.of());
        }));
    }

    private String next(ListQuery query, List<R> items) {
        return Cursor.write(query, listing.key(query.sort(), items.get(items.size() - 1)));
    }

    /** Every record of the view, in order, handed to {@code sink} as it is read: never all in memory. */
    public void export(ListQuery query, Consumer<R> sink) {
        database.read(h -> h.inTransaction(tx -> {
            // SQLite's handles are kept from read to read: a customizer added there would stay on.
            if (database.engine().needsFetchSize()) {
                tx.addCustomizer(StatementCustomizers.fetchSize(EXPORT_BATCH));
            }
            try (Stream<R> rows = listing.rows(tx, query, query.descending(), Long.MAX_VALUE, 0)) {
                rows.forEach(sink);
            }
            return null;
        }));
    }

    public Optional<R> find(long id) {
        return database.read(h -> find(h, id));
    }

    Optional<R> find(Handle h, long id) {
        return h.createQuery(sql.find).bind("id", id).mapTo(kind.rowType()).findOne();
    }

    /**
     * Inserts the record. One INSERT is a transaction of its own, and the stored record is built
     * from what was written rather than read back: on a writer that serves every write in turn,
     * each statement saved is throughput.
     */
    public Outcome<R> create(F form, Actor actor) {
        try {
            R stored = database.write(h -> create(h, form, actor));
            return new Outcome.Done<>(stored);
        } catch (JdbiException e) {
            return duplicates(e, form, 0);
        }
    }

    /**
     * Inserts the record and its history entry on {@code h}, inside a larger change (a credit that
     * names a new person), which commits or rolls back with it; a duplicate throws.
     */
    public R create(Handle h, F form, Actor actor) {
        Instant now = Timestamps.now();
        long id;
        // Through kept statements, not JDBI's: this runs inside every create (see Prepared). On SQLite
        // the driver's generated keys are off (see Database), and RETURNING costs a query's metadata
        // there: the rowid just given is one kept statement away.
        boolean sqlite = Engine.of(h) == Engine.SQLITE;
        try (Prepared insert = Prepared.kept(h, sqlite ? sql.insert : sql.insertReturningId);
             Prepared last = sqlite ? Prepared.kept(h, LAST_ROWID) : null) {
            bindFields(insert, form).set("now", now);
            if (sqlite) {
                insert.update();
            }
            try (ResultSet rows = sqlite ? last.query() : insert.query()) {
                rows.next();
                id = rows.getLong(1);
            }
        } catch (SQLException e) {
            throw Prepared.failed(e);
        }
        R record = kind.stored(id, form, now);
        History.write(h, actor, "create", kind.path(), id, kind.label(record), kind.values(record));
        return record;
    }

    public Outcome<R> update(long id, long version, F form, Actor actor) {
        return change(id, version, form, actor, "update");
    }

    /** An update whose history entry is {@code action}: "update", or "restore" for an earlier version brought back. */
    Outcome<R> change(long id, long version, F form, Actor actor, String action) {
        try {
            return database.write(h -> {
                Optional<R> before = find(h, id);
                if (before.isEmpty()) {
                    return new Outcome.NotFound<>();
                }
                int changed = bindFields(h.createUpdate(sql.update), form)
                        .bind("now", Timestamps.now()).bind("id", id).bind("version", version).execute();
                if (changed != 1) {
                    return new Outcome.Stale<>(before.get());
                }
                R after = find(h, id).orElseThrow();
                History.write(h, actor, action, kind.path(), id, kind.label(after), kind.diff(before.get(), after));
                return new Outcome.Done<>(after);
            });
        } catch (JdbiException e) {
            return duplicates(e, form, id);
        }
    }

    /** Binds each stored column of the form: a field's value, and its key and search text ({@link Field#bind}). */
    <S extends SqlStatement<S>> S bindFields(S statement, F form) {
        for (Field<R> field : kind.fields()) {
            field.bind(field.stored(kind.input(form, field)), statement::bindByType);
        }
        return statement;
    }

    /** The same, on a statement run outside JDBI. */
    Prepared bindFields(Prepared statement, F form) {
        for (Field<R> field : kind.fields()) {
            field.bind(field.stored(kind.input(form, field)), statement::set);
        }
        return statement;
    }

    /**
     * Deletes the record (without a version, whichever is current) and what cascades from it; the
     * outcome counts the dependent rows that went with it.
     */
    public Outcome<R> delete(long id, Long version, Actor actor) {
        return database.write(h -> {
            Optional<R> current = find(h, id);
            if (current.isEmpty()) {
                return new Outcome.NotFound<>();
            }
            long expected = version == null ? current.get().version() : version;
            // What goes with it, read before the cascade takes it: the history keeps it for a restore.
            Map<String, Object> changes = kind.values(current.get());
            int dependents = 0;
            for (int i = 0; i < sql.dependents.size(); i++) {
                List<Map<String, Object>> rows = h.createQuery(sql.dependents.get(i)).bind("id", id).mapToMap().list();
                changes.put(kind.dependents().get(i).table(), rows);
                dependents += rows.size();
            }
            int deleted = h.createUpdate(sql.delete).bind("id", id).bind("version", expected).execute();
            if (deleted != 1) {
                return new Outcome.Stale<>(current.get());
            }
            History.write(h, actor, "delete", kind.path(), id, kind.label(current.get()), changes);
            return new Outcome.Done<>(current.get(), dependents);
        });
    }

    /** How many rows of other tables a delete of the record would take with it: one count per dependent table. */
    public int dependents(long id) {
        return database.read(h -> {
            int n = 0;
            for (String count : sql.countDependents) {
                n += h.createQuery(count).bind("id", id).mapTo(Integer.class).one();
            }
            return n;
        });
    }

    /**
     * A form that failed its checks, answered with every problem at once: its own messages and, for
     * each unique field that passed them, the value being held by another record than {@code self}
     * (0 for a new one). A valid form learns of its duplicates from the unique index instead, at no
     * cost to the writes that have none.
     */
    public Outcome<R> refused(F form, long self, FieldErrors errors) {
        return new Outcome.Invalid<>(database.read(h -> taken(h, form, self, errors)), false);
    }

    /** A unique-index violation as the field message it means; any other failure is not ours to explain. */
    Outcome<R> duplicate(JdbiException e) {
        String column = UniqueViolation.column(e).orElseThrow(() -> e);
        Field<R> field = kind.uniqueByKeyColumn(column).orElseThrow(() -> e);
        return new Outcome.Invalid<>(FieldErrors.of(field.name(), field.duplicateMessage()), true);
    }

    /** A unique-index violation of {@code form} as every unique value of it that is taken, not only the one the index named. */
    private Outcome<R> duplicates(JdbiException e, F form, long self) {
        Outcome<R> named = duplicate(e);
        FieldErrors all = database.read(h -> taken(h, form, self, new FieldErrors()));
        return all.isEmpty() ? named : new Outcome.Invalid<>(all, true);
    }

    /** Adds to {@code errors} each unique field of the form, not in error already, whose value another record holds. */
    private FieldErrors taken(Handle h, F form, long self, FieldErrors errors) {
        for (Field<R> field : kind.fields()) {
            Object value = field.isUnique() && !errors.has(field.name()) ? field.stored(kind.input(form, field)) : null;
            if (value == null) {
                continue;
            }
            // The folded key column, as the unique index compares: "ALICE" is taken by "alice".
            Optional<Long> holder = h.createQuery(sql.holder).define("column", field.keyColumn())
                    .bind("value", CaseFold.fold((String) value)).mapTo(Long.class).findFirst();
            if (holder.isPresent() && holder.get() != self) {
                errors.add(field.name(), field.duplicateMessage());
            }
        }
        return errors;
    }
}
