package registry.record;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import registry.db.Engine;

/**
 * The SQL that is the same for every kind, written once. The names in braces are filled from the
 * kind's declaration when the kind is set up (our own identifiers, never request text):
 * {@code {table}}, {@code {columns}} (id, the fields, the times, version, and NULL for each
 * derived value), {@code {shown}} (the same with the derived values computed), {@code {match}} (each
 * searched field's search column LIKE the pattern), {@code {search}} (the FTS5 trigram table), and
 * the stored columns of inserts and updates ({@link Field#storedColumns}). The
 * placeholders in angle brackets are JDBI's, filled per query: {@code <sort>} is a column from
 * {@link Kind#sortColumn} and {@code <order>} the engine's direction. Every value is a bound
 * parameter.
 *
 * <p>Why these shapes are fast (each kind's changelog builds the indexes):
 * <ul>
 *   <li>the total comes from {@code record_counts}, kept by triggers: count(*) reads a whole index;
 *   <li>every sortable column has an index (a folded field through its key column), and the id
 *       tie-breaker is the rowid each index already holds, so ORDER BY … LIMIT reads only the
 *       rows it returns; pages past the middle are read from the other end ({@link Records#list});
 *   <li>a search of three characters or more is answered by the kind's trigram table on SQLite
 *       and costs what its matches cost; a shorter one, and every search on the servers, is a
 *       LIKE over the search columns (PostgreSQL serves it from a pg_trgm index);
 *   <li>a derived value (a movie's directors) is a subquery per row that an index answers; a page
 *       computes it in an outer query over its LIMITed slice ({@link #LIST_DERIVED}).
 * </ul>
 */
final class RecordSql {
    private static final String FIND = "SELECT {shown} FROM {table} WHERE id = :id";
    /** A record without its derived values: an import compares fields only, and need not compute them for each row. */
    private static final String FIND_STORED = "SELECT {columns} FROM {table} WHERE id = :id";
    private static final String COUNT = "SELECT n FROM record_counts WHERE name = '{table}'";
    /** How many records a search or filters leave; {@code <where>} is filled per list from {@link #match}, {@link #indexed} and the filters. */
    private static final String COUNT_WHERE = "SELECT count(*) FROM {table} <where>";
    /** A slice of the view; with LIMIT past the end, every record of it, as an export streams them. */
    private static final String LIST = """
            SELECT {shown} FROM {table}
            <where>
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""";
    /**
     * A slice of a kind with derived values: they are computed by an outer query over the slice,
     * so a page computes them for its own rows only. In one query, an engine that sorts rather
     * than reading an index in order (a search sorted by year, say) computes the select list of
     * every row it sorts. The slice carries its sort key, to be put in order again.
     */
    private static final String LIST_DERIVED = """
            SELECT slice.*, {derived} FROM (
                SELECT {row}, <sort> AS sort_key FROM {table}
                <where>
                ORDER BY <sort> <order>, id <order>
                LIMIT :limit OFFSET :offset) slice
            ORDER BY slice.sort_key <order>, slice.id <order>""";
    /** The sort key and id of every record of a view, in its order: where each stretch of a long list starts. */
    private static final String KEYS = """
            SELECT <sort>, id FROM {table}
            <where>
            ORDER BY <sort> <order>, id <order>""";
    /** A search over the search columns (folded without case or accents): each LIKE the pattern. */
    private static final String MATCH = "({match})";
    /**
     * A search through the FTS5 trigram table, which holds every row up to the highest id in its
     * docsize table and none above (changeset 0019): the rows above, the few written since the
     * index last caught up, are matched directly. Both are rowid lookups (SQLite's OR by union).
     */
    private static final String INDEXED = """
            (id IN (SELECT rowid FROM {search} WHERE {search} MATCH :phrase)
             OR id > (SELECT COALESCE(MAX(id), 0) FROM {search}_docsize) AND ({match}))""";
    /**
     * Indexes the rows above the index's highest id, in one statement: FTS5 writes one segment for
     * all of them, where an insert trigger wrote one per row (changeset 0019). The subquery is
     * evaluated once, before the first row is indexed.
     */
    private static final String CATCH_UP = """
            INSERT INTO {search} (rowid, {searched})
            SELECT id, {searched} FROM {table} WHERE id > (SELECT COALESCE(MAX(id), 0) FROM {search}_docsize) ORDER BY id""";
    private static final String INSERT = """
            INSERT INTO {table} ({stored}, created_at, updated_at, version)
            VALUES ({values}, :now, :now, 1)""";
    /** A deleted record back from the trash: its own id, first creation and version. */
    private static final String INSERT_WITH_ID = """
            INSERT INTO {table} (id, {stored}, created_at, updated_at, version)
            VALUES (:id, {values}, :created, :now, :version)""";
    private static final String UPDATE = """
            UPDATE {table} SET {assignments}, updated_at = :now, version = version + 1
            WHERE id = :id AND version = :version""";
    private static final String DELETE = "DELETE FROM {table} WHERE id = :id AND version = :version";
    /** The records with a natural key's folded field (its key column comes from the declaration, through <column>). */
    private static final String BY_KEY = "SELECT {columns} FROM {table} WHERE <column> = :value";
    /** The ids of the records holding a key column's value: a unique field's, or an import's natural key (the column comes from the declaration, through <column>). */
    private static final String HOLDER = "SELECT id FROM {table} WHERE <column> = :value";
    /** The rows that a delete takes with it, whole: the history keeps them so that a restore can bring them back. */
    private static final String DEPENDENTS = "SELECT * FROM {dependents} WHERE {reference} = :id";
    /** How many rows a delete would take with it, for its confirmation; each dependent table indexes its reference. */
    private static final String COUNT_DEPENDENTS = "SELECT count(*) FROM {dependents} WHERE {reference} = :id";

    final String find;
    final String findStored;
    final String count;
    final String countWhere;
    /** A page's slice. */
    final String list;
    /** Every record of a view, in order, each computed as it is read. */
    final String export;
    final String keys;
    final String match;
    final String indexed;
    /** Brings the FTS5 table up to date with the rows, on SQLite when the kind has one; else null. */
    final String catchUp;
    final String insert;
    /** The insert that answers with the new id, for the servers (on SQLite the rowid is read after a plain insert). */
    final String insertReturningId;
    final String update;
    final String insertWithId;
    final String delete;
    final String byKey;
    final String holder;
    /** One query per kind of dependent row, in the order the kind declares them. */
    final List<String> dependents;
    /** One count per kind of dependent row, in the same order. */
    final List<String> countDependents;
    /** The stored columns: each field's, and after it its key and search text where it has them; the bind names are the same. */
    final List<String> stored;

    RecordSql(Kind<?, ?> kind, Engine engine) {
        this.stored = kind.fields().stream().flatMap(f -> f.storedColumns().stream()).toList();
        String columns = String.join(", ", kind.columns());
        Map<String, String> names = Map.of(
                "table", kind.table(),
                "columns", columns + kind.derived().stream().map(d -> ", NULL AS " + d.name()).collect(Collectors.joining()),
                "shown", columns + kind.derived().stream().map(d -> ", " + d.select(engine, kind.table() + ".id")).collect(Collectors.joining()),
                "search", kind.table() + "_search",
                "match", kind.fields().stream().filter(Field::isSearched).map(f -> f.searchColumn() + " LIKE :pattern ESCAPE '!'")
                        .collect(Collectors.joining(" OR ")),
                "searched", kind.fields().stream().filter(Field::isSearched).map(Field::searchColumn).collect(Collectors.joining(", ")),
                "stored", String.join(", ", stored),
                "values", stored.stream().map(c -> ":" + c).collect(Collectors.joining(", ")),
                "assignments", stored.stream().map(c -> c + " = :" + c).collect(Collectors.joining(", ")));
        this.find = fill(FIND, names);
        this.findStored = fill(FIND_STORED, names);
        this.count = fill(COUNT, names);
        this.countWhere = fill(COUNT_WHERE, names);
        this.export = fill(LIST, names);
        this.list = kind.derived().isEmpty() ? export : fill(LIST_DERIVED, Map.of("table", kind.table(), "row", columns,
                "derived", kind.derived().stream().map(d -> d.select(engine, "slice.id")).collect(Collectors.joining(", "))));
        this.keys = fill(KEYS, names);
        this.match = fill(MATCH, names);
        this.indexed = fill(INDEXED, names);
        this.catchUp = kind.hasSearchTable() && engine.searchTables() ? fill(CATCH_UP, names) : null;
        this.insert = fill(INSERT, names);
        this.insertReturningId = insert + " RETURNING id";
        this.update = fill(UPDATE, names);
        this.insertWithId = fill(INSERT_WITH_ID, names);
        this.delete = fill(DELETE, names);
        this.byKey = fill(BY_KEY, names);
        this.holder = fill(HOLDER, names);
        this.dependents = kind.dependents().stream()
                .map(d -> fill(DEPENDENTS, Map.of("dependents", d.table(), "reference", d.column())))
                .toList();
        this.countDependents = kind.dependents().stream()
                .map(d -> fill(COUNT_DEPENDENTS, Map.of("dependents", d.table(), "reference", d.column())))
                .toList();
    }

    private static String fill(String sql, Map<String, String> names) {
        String filled = sql;
        for (Map.Entry<String, String> name : names.entrySet()) {
            filled = filled.replace("{" + name.getKey() + "}", name.getValue());
        }
        if (filled.contains("{")) {
            throw new IllegalStateException("unfilled name in " + filled);
        }
        return filled;
    }
}
