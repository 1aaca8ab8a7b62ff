package registry.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementCustomizers;
import registry.db.CaseFold;
import registry.db.Database;
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

    private final Database database;
    private final Kind<R, F> kind;
    private final RecordSql sql;
    /** Whether a search has fields to look in; decided once, not on every list. */
    private final boolean searchable;

    public Records(Database database, Kind<R, F> kind) {
        this.database = database;
        this.kind = kind;
        this.sql = new RecordSql(kind);
        this.searchable = kind.fields().stream().anyMatch(Field::isSearched);
    }

    public Kind<R, F> kind() {
        return kind;
    }

    /** What a list's query parameters may ask of this kind. */
    public ListQuery query(java.util.function.Function<String, String> parameter) {
        return ListQuery.from(parameter, kind.sortable());
    }

    /**
     * One page: the total and a LIMIT/OFFSET slice. They are two statements outside a transaction
     * (a read transaction costs more than the page): a write between them can shift the page by a
     * row, which the next page shows anyway.
     * Past the middle the slice is read from the other end and reversed, so the last page costs
     * what the first does, however many records there are.
     */
    public Page<R> list(ListQuery query) {
        return database.read(h -> {
            long total = count(h, query.q());
            long offset = query.offset();
            if (offset >= total) {
                return new Page<>(List.of(), query, total);
            }
            if (offset <= total / 2) {
                return new Page<>(slice(h, query, query.descending(), query.size(), offset), query, total);
            }
            long limit = Math.min(query.size(), total - offset);
            long fromEnd = total - offset - limit;
            List<R> items = new ArrayList<>(slice(h, query, !query.descending(), limit, fromEnd));
            Collections.reverse(items);
            return new Page<>(items, query, total);
        });
    }

    private List<R> slice(Handle h, ListQuery query, boolean descending, long limit, long offset) {
        try (Stream<R> rows = rows(h, query, descending, limit, offset)) {
            return rows.toList();
        }
    }

    /** Every record of the view, in order, handed to {@code sink} as it is read: never all in memory. */
    public void export(ListQuery query, Consumer<R> sink) {
        database.read(h -> h.inTransaction(tx -> {
            // SQLite's handles are kept from read to read: a customizer added there would stay on.
            if (database.engine().needsFetchSize()) {
                tx.addCustomizer(StatementCustomizers.fetchSize(EXPORT_BATCH));
            }
            try (Stream<R> rows = rows(tx, query, query.descending(), Long.MAX_VALUE, 0)) {
                rows.forEach(sink);
            }
            return null;
        }));
    }

    /**
     * How a list finds what {@code q} asks for: every record, the FTS5 trigram table (where the kind
     * has one, the engine uses it and the query is long enough for it), or a LIKE over the folded
     * keys. {@code parameter} is bound to {@code value}, when there is one.
     */
    private record Search(String count, String list, String parameter, String value) {}

    private Search search(String q) {
        if (q.isEmpty() || !searchable) {
            return new Search(sql.count, sql.list, null, null);
        }
        Optional<String> phrase = kind.hasSearchTable() && database.engine().searchTables() ? CaseFold.trigramPhrase(q) : Optional.empty();
        return phrase.map(p -> new Search(sql.countIndexed, sql.listIndexed, "phrase", p))
                .orElseGet(() -> new Search(sql.countMatching, sql.listMatching, "pattern", CaseFold.containsPattern(q)));
    }

    /** How many records there are, or match a search. */
    private long count(Handle h, String q) {
        Search search = search(q);
        Query count = h.createQuery(search.count());
        if (search.parameter() != null) {
            count.bind(search.parameter(), search.value());
        }
        return count.mapTo(Long.class).one();
    }

    /**
     * The matching records ({@code q} empty: all) read as a stream, ordered by the query's sort
     * column, ties broken by id the same way.
     */
    private Stream<R> rows(Handle h, ListQuery query, boolean descending, long limit, long offset) {
        Search search = search(query.q());
        Query select = h.createQuery(search.list())
                .define("sort", kind.sortColumn(query.sort()))
                .define("order", database.engine().sortDirection(descending))
                .bind("limit", limit)
                .bind("offset", offset);
        if (search.parameter() != null) {
            select.bind(search.parameter(), search.value());
        }
        return select.mapTo(kind.rowType()).stream();
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
        Instant now = Timestamps.now();
        try {
            R stored = database.write(h -> {
                long id = bindFields(h.createUpdate(sql.insert), form).bind("now", now)
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                R record = kind.stored(id, form, now);
                History.write(h, actor, "create", kind.path(), id, kind.label(record), kind.values(record));
                return record;
            });
            return new Outcome.Done<>(stored);
        } catch (JdbiException e) {
            return duplicate(e);
        }
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
            return duplicate(e);
        }
    }

    /** Binds each stored column of the form: a field's value, and a folded field's key. */
    <S extends SqlStatement<S>> S bindFields(S statement, F form) {
        for (Field<R> field : kind.fields()) {
            Object value = field.stored(kind.input(form, field));
            statement.bindByType(field.column(), value, field.storedType());
            if (field.isFolded()) {
                statement.bindByType(field.keyColumn(), value == null ? null : CaseFold.fold((String) value), String.class);
            }
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

    /** A unique-index violation as the field message it means; any other failure is not ours to explain. */
    Outcome<R> duplicate(JdbiException e) {
        String column = UniqueViolation.column(e).orElseThrow(() -> e);
        Field<R> field = kind.uniqueByKeyColumn(column).orElseThrow(() -> e);
        return new Outcome.Invalid<>(FieldErrors.of(field.name(), field.duplicateMessage()), true);
    }
}
