package registry.record;

import registry.web.Json;
import io.javalin.http.Context;
import java.time.Instant;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jdbi.v3.core.JdbiException;
import registry.db.CaseFold;
import registry.db.Database;
import registry.db.Engine;
import org.jdbi.v3.core.statement.StatementCustomizers;
import registry.db.Timestamps;
import registry.db.UniqueViolation;

/**
 * One kind of record (users, people, movies) as the shared pages, API and CSV export see it. A kind
 * gives its names, its form and the DAO calls that differ; paging, optimistic locking, duplicate
 * detection and the outcome of each change are done here, once for every kind.
 *
 * @param <R> the row record
 * @param <F> the form record, with its validation rules
 * @param <D> the JDBI SQL object of the kind's table
 */
public abstract class Records<R extends Record & Row, F extends Record, D> {
    /** Rows fetched at a time by a CSV export. */
    private static final int EXPORT_BATCH = 500;

    private final Database database;
    private final Class<R> rowType;
    private final D reads;
    private final D writes;
    /** The URL segment and template folder: "users". */
    public final String path;
    /** "user", for messages. */
    public final String singular;
    /** "Users", for headings. */
    public final String title;
    /** What a search looks in, for the search box's label: "username or email". */
    public final String searchesIn;
    /** Sortable fields; the first is the default order. */
    public final List<String> sortable;
    /** The column each sortable field sorts by: the only text of a request that reaches ORDER BY. */
    private final Map<String, String> sortColumns;
    private final FormBinding<R, F> forms;

    protected Records(Database database, Class<R> rowType, Class<D> daoType, String path, String singular, String title,
                      String searchesIn, List<String> sortable, Map<String, String> sortColumns, FormBinding<R, F> forms) {
        if (!sortColumns.keySet().equals(Set.copyOf(sortable))) {
            throw new IllegalStateException(path + ": sort columns " + sortColumns.keySet() + " do not match the sortable fields " + sortable);
        }
        this.database = database;
        this.rowType = rowType;
        this.reads = database.readDao(daoType);
        this.writes = database.writeDao(daoType);
        this.path = path;
        this.singular = singular;
        this.title = title;
        this.searchesIn = searchesIn;
        this.sortable = sortable;
        this.sortColumns = sortColumns;
        this.forms = forms;
    }

    // What each kind says about its records and forms.

    public long id(R record) {
        return record.id();
    }

    public long version(R record) {
        return record.version();
    }

    /** How a record is named in messages: a username, a name, a title. */
    public abstract String label(R record);

    public F emptyForm() {
        return forms.empty();
    }

    /** The form as typed in an HTML form, cleaned. */
    public F form(Context ctx) {
        return forms.fromForm().apply(ctx);
    }

    /** The form as sent in a JSON body; wrong types are noted in {@code json}. */
    public F form(Json json) {
        return forms.fromJson().apply(json);
    }

    /** The form filled with a record's values, for its edit page. */
    public F form(R record) {
        return forms.fromRecord().apply(record);
    }

    /** The CSV header row: the record's fields, named as in JSON. */
    public List<String> csvHeader() {
        return Arrays.stream(rowType.getRecordComponents()).map(c -> Forms.snakeCase(c.getName())).toList();
    }

    /** A record as a CSV row: each field as text, an unknown value as an empty cell. */
    public List<String> csvRow(R record) {
        List<String> cells = new ArrayList<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(record);
                cells.add(value == null ? "" : value.toString());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of " + record, e);
            }
        }
        return cells;
    }

    // The SQL that differs between kinds, through the kind's DAO.

    protected abstract Optional<R> find(D dao, long id);

    protected abstract long insert(D dao, F form, Instant now);

    protected abstract int update(D dao, long id, long version, F form, Instant now);

    protected abstract int delete(D dao, long id, long version);

    /** How many records there are, and how many match a search. */
    protected abstract long count(D dao, String q);

    /**
     * The matching records ({@code q} empty: all) read as a stream, ordered by {@code column} (from
     * the kind's sort columns) in the SQL direction {@code order}, ties broken by id the same way.
     */
    protected abstract Stream<R> rows(D dao, String q, String column, String order, long limit, long offset);

    private Stream<R> ordered(D dao, String q, String sort, boolean descending, long limit, long offset) {
        return rows(dao, q, sortColumns.get(sort), order(descending), limit, offset);
    }

    /**
     * The SQL of a sort direction. A missing value (a movie without a year) comes first going up
     * and last going down, the way SQLite and MariaDB order NULL; PostgreSQL has to be told (its
     * indexes on those columns are built NULLS FIRST to match).
     */
    private String order(boolean descending) {
        if (database.engine() == Engine.POSTGRESQL) {
            return descending ? "DESC NULLS LAST" : "ASC NULLS FIRST";
        }
        return descending ? "DESC" : "ASC";
    }

    /**
     * On SQLite, a search through the FTS5 trigram table where the query is long enough for it
     * (three characters), else, and on the other engines, through a LIKE pattern: {@code indexed}
     * gets the FTS phrase, {@code scan} the pattern.
     */
    protected <T> T searched(String q, Function<String, T> indexed, Function<String, T> scan) {
        if (database.engine() != Engine.SQLITE) {
            // PostgreSQL answers the LIKE from its pg_trgm index; MariaDB has no index for it.
            return scan.apply(CaseFold.containsPattern(q));
        }
        return CaseFold.trigramPhrase(q).map(indexed).orElseGet(() -> scan.apply(CaseFold.containsPattern(q)));
    }

    /** The message of each unique index, by the column the database names when it is violated. */
    protected abstract Map<String, FieldErrors> duplicateMessages();

    /** How many rows of other tables a delete of this record removes with it (credits, say). */
    protected int dependents(D dao, long id) {
        return 0;
    }

    /** What one of those rows is called, for the message after a delete ("credit"). */
    public String dependentsNoun() {
        return "related record";
    }

    // Shared behaviour.

    /**
     * One page: the total and a LIMIT/OFFSET slice. They are two statements outside a transaction
     * (a read transaction costs more than the page): a write between them can shift the page by a
     * row, which the next page shows anyway.
     * Past the middle the slice is read from the other end and reversed, so the last page costs
     * what the first does, however many records there are.
     */
    public Page<R> list(ListQuery query) {
        return database.read(h -> {
            D dao = reads;
            long total = count(dao, query.q());
            long offset = query.offset();
            if (offset >= total) {
                return new Page<>(List.of(), query, total);
            }
            if (offset <= total / 2) {
                return new Page<>(slice(dao, query.q(), query.sort(), query.descending(), query.size(), offset), query, total);
            }
            long limit = Math.min(query.size(), total - offset);
            long fromEnd = total - offset - limit;
            List<R> items = new ArrayList<>(slice(dao, query.q(), query.sort(), !query.descending(), limit, fromEnd));
            Collections.reverse(items);
            return new Page<>(items, query, total);
        });
    }

    private List<R> slice(D dao, String q, String sort, boolean descending, long limit, long offset) {
        try (Stream<R> rows = ordered(dao, q, sort, descending, limit, offset)) {
            return rows.toList();
        }
    }

    /** Every record of the view, in order, handed to {@code sink} as it is read: never all in memory. */
    public void export(ListQuery query, Consumer<R> sink) {
        database.read(h -> h.inTransaction(tx -> {
            // The PostgreSQL and MariaDB drivers read a whole result into memory unless asked
            // for it in batches (PostgreSQL: only inside a transaction, as here). SQLite steps
            // anyway, and its handles are kept from read to read: a customizer would stay on.
            if (database.engine() != Engine.SQLITE) {
                tx.addCustomizer(StatementCustomizers.fetchSize(EXPORT_BATCH));
            }
            try (Stream<R> rows = ordered(reads, query.q(), query.sort(), query.descending(), Long.MAX_VALUE, 0)) {
                rows.forEach(sink);
            }
            return null;
        }));
    }

    public Optional<R> find(long id) {
        return find(reads, id);
    }

    /** Runs a kind's own query (a filmography, say) on a read connection. */
    protected <T> T read(Function<D, T> query) {
        return query.apply(reads);
    }

    /**
     * Inserts the record. One INSERT is a transaction of its own, so it runs without an explicit
     * one, and the stored record is built from what was written rather than read back: on a
     * writer that serves every write in turn, each statement saved is throughput.
     */
    public Outcome<R> create(F form) {
        Instant now = Timestamps.now();
        try {
            long id = insert(writes, form, now);
            return new Outcome.Done<>(stored(id, form, now));
        } catch (JdbiException e) {
            return duplicate(e);
        }
    }

    /** The record as {@link #insert} stored it: version 1, created and updated {@code now}. */
    protected abstract R stored(long id, F form, Instant now);

    public Outcome<R> update(long id, long version, F form) {
        try {
            return database.write(h -> {
                if (update(writes, id, version, form, Timestamps.now()) == 1) {
                    return new Outcome.Done<>(find(writes, id).orElseThrow());
                }
                return missingOrStale(id);
            });
        } catch (JdbiException e) {
            return duplicate(e);
        }
    }

    /** Deletes the record (without a version, whichever is current) and what cascades from it. */
    public Outcome<R> delete(long id, Long version) {
        return database.write(h -> {
            D dao = writes;
            Optional<R> current = find(dao, id);
            if (current.isEmpty()) {
                return new Outcome.NotFound<>();
            }
            int dependents = dependents(dao, id);
            long expected = version == null ? version(current.get()) : version;
            return delete(dao, id, expected) == 1
                    ? new Outcome.Done<>(current.get(), dependents)
                    : new Outcome.Stale<>(current.get());
        });
    }

    private Outcome<R> missingOrStale(long id) {
        return find(writes, id).<Outcome<R>>map(Outcome.Stale::new).orElseGet(Outcome.NotFound::new);
    }

    /** A unique-index violation as the field message it means; any other failure is not ours to explain. */
    private Outcome<R> duplicate(JdbiException e) {
        String column = UniqueViolation.column(e).orElseThrow(() -> e);
        FieldErrors errors = duplicateMessages().get(column);
        if (errors == null) {
            throw e;
        }
        return new Outcome.Invalid<>(errors, true);
    }
}
