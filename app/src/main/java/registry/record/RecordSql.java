package registry.record;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The SQL that is the same for every kind, written once. The names in braces are filled from the
 * kind's declaration when the kind is set up (our own identifiers, never request text):
 * {@code {table}}, {@code {columns}} (id, the fields, the times, version), {@code {match}} (each
 * searched key column LIKE the pattern), {@code {search}} (the FTS5 trigram table), and the
 * stored columns of inserts and updates (each field, and the folded key of a folded field). The
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
 *       LIKE over the folded keys (PostgreSQL serves it from a pg_trgm index).
 * </ul>
 */
final class RecordSql {
    private static final String FIND = "SELECT {columns} FROM {table} WHERE id = :id";
    private static final String COUNT = "SELECT n FROM record_counts WHERE name = '{table}'";
    private static final String COUNT_MATCHING = "SELECT count(*) FROM {table} WHERE {match}";
    private static final String COUNT_INDEXED = "SELECT count(*) FROM {search} WHERE {search} MATCH :phrase";
    private static final String LIST = """
            SELECT {columns} FROM {table}
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""";
    private static final String LIST_MATCHING = """
            SELECT {columns} FROM {table}
            WHERE {match}
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""";
    private static final String LIST_INDEXED = """
            SELECT {columns} FROM {table}
            WHERE id IN (SELECT rowid FROM {search} WHERE {search} MATCH :phrase)
            ORDER BY <sort> <order>, id <order>
            LIMIT :limit OFFSET :offset""";
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
    /** The record holding a unique field's value (its key column comes from the declaration, through <column>). */
    private static final String HOLDER = "SELECT id FROM {table} WHERE <column> = :value";
    /** The rows that a delete takes with it, whole: the history keeps them so that a restore can bring them back. */
    private static final String DEPENDENTS = "SELECT * FROM {dependents} WHERE {reference} = :id";

    final String find;
    final String count;
    final String countMatching;
    final String countIndexed;
    final String list;
    final String listMatching;
    final String listIndexed;
    final String insert;
    final String update;
    final String insertWithId;
    final String delete;
    final String byKey;
    final String holder;
    /** One query per kind of dependent row, in the order the kind declares them. */
    final List<String> dependents;
    /** The stored columns: each field's, and after a folded one its key; the bind names are the same. */
    final List<String> stored;

    RecordSql(Kind<?, ?> kind) {
        this.stored = kind.fields().stream()
                .flatMap(f -> f.isFolded() ? java.util.stream.Stream.of(f.column(), f.keyColumn()) : java.util.stream.Stream.of(f.column()))
                .toList();
        Map<String, String> names = Map.of(
                "table", kind.table(),
                "columns", String.join(", ", kind.columns()),
                "search", kind.table() + "_search",
                "match", kind.fields().stream().filter(Field::isSearched).map(f -> f.keyColumn() + " LIKE :pattern ESCAPE '!'")
                        .collect(Collectors.joining(" OR ")),
                "stored", String.join(", ", stored),
                "values", stored.stream().map(c -> ":" + c).collect(Collectors.joining(", ")),
                "assignments", stored.stream().map(c -> c + " = :" + c).collect(Collectors.joining(", ")));
        this.find = fill(FIND, names);
        this.count = fill(COUNT, names);
        this.countMatching = fill(COUNT_MATCHING, names);
        this.countIndexed = fill(COUNT_INDEXED, names);
        this.list = fill(LIST, names);
        this.listMatching = fill(LIST_MATCHING, names);
        this.listIndexed = fill(LIST_INDEXED, names);
        this.insert = fill(INSERT, names);
        this.update = fill(UPDATE, names);
        this.insertWithId = fill(INSERT_WITH_ID, names);
        this.delete = fill(DELETE, names);
        this.byKey = fill(BY_KEY, names);
        this.holder = fill(HOLDER, names);
        this.dependents = kind.dependents().stream()
                .map(d -> fill(DEPENDENTS, Map.of("dependents", d.table(), "reference", d.column())))
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
