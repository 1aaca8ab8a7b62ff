package registry.ops;

import registry.db.Database;
import registry.db.Engine;
import registry.db.Timestamps;
import registry.schema.MigrationException;
import registry.schema.Migrations;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Moves every record from one database to another, empty one whose schema is current: the way up
 * from a SQLite file to PostgreSQL or MariaDB. Ids, times and versions are kept, so links,
 * bookmarks and open edit forms stay valid; the target's counters and search indexes are kept by
 * its own triggers and indexes as the rows arrive. The source is read in one transaction, a
 * consistent snapshot even while an app serves it; the target is written in batches, one
 * transaction each.
 */
public final class Copy {
    /** A table to copy, and whether the target must go on giving out its ids after the source's. */
    record Table(String name, boolean continuesIds) {}

    /**
     * Live sign-in state, carried by neither a copy nor a backup: the sessions (a database moved or
     * restored starts with none, so a session cookie taken before cannot be replayed against it;
     * everyone signs in again) and the sign-in throttle (failures of the last 15 minutes). Accounts
     * and their API tokens are carried.
     */
    static final List<String> SIGN_IN_STATE = List.of("account_sessions", "sign_in_failures");

    /** FTS5 full-text indexes ({@code users_search}) and the shadow tables SQLite keeps for each. */
    private static final Pattern SEARCH_TABLE = Pattern.compile("[a-z0-9_]+_search(_data|_idx|_content|_docsize|_config)?");
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    private final Database from;
    private final Database to;
    private final int batch;
    private final PrintWriter out;

    public Copy(Database from, Database to, int batch, PrintWriter out) {
        this.from = from;
        this.to = to;
        this.batch = batch;
        this.out = out;
    }

    /** Copies, then checks the row counts; returns them by table. */
    public Map<String, Long> run() {
        refuseUnlessReady(from, "source");
        refuseUnlessReady(to, "target");
        // The target's schema is Registry's, made by db upgrade: its tables are what is copied. A
        // table of the source's schema that is not Registry's (an operator's own) is left alone.
        List<Table> tables = tables(to);
        List<String> names = tables.stream().map(Table::name).toList();
        List<String> inSource = lowerCase(tables(from).stream().map(Table::name).toList());
        List<String> missing = names.stream().filter(name -> !inSource.contains(name.toLowerCase(Locale.ROOT))).toList();
        if (!missing.isEmpty()) {
            throw new MigrationException("the source has no table " + String.join(", ", missing)
                    + "; copy between databases of the same Registry version (db upgrade both)", null);
        }
        List<String> others = inSource.stream().filter(name -> !lowerCase(names).contains(name)).toList();
        if (!others.isEmpty()) {
            out.println("Not copied, not Registry's: " + String.join(", ", others));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : names) {
            long inTarget = count(to, table);
            if (inTarget > 0) {
                throw new MigrationException("the target is not empty: " + table + " has " + inTarget + " row(s); "
                        + "copy into a new database made by db upgrade", null);
            }
        }
        // One snapshot of every table: SQLite's read transaction is one; the servers need REPEATABLE READ.
        TransactionIsolationLevel snapshot = from.engine() == Engine.SQLITE ? TransactionIsolationLevel.UNKNOWN
                : TransactionIsolationLevel.REPEATABLE_READ;
        try {
            from.read(h -> h.inTransaction(snapshot, source -> {
                for (String table : names) {
                    counts.put(table, copy(source, table));
                }
                for (Table table : tables) {
                    if (table.continuesIds()) {
                        continueIds(table.name(), highWater(source, table.name()));
                    }
                }
                return null;
            }));
        } catch (SQLException | JdbiException e) {
            throw new MigrationException("the copy stopped (" + e.getMessage().replaceAll("\\s+", " ")
                    + "); the target holds part of the records: empty it (drop and re-create, then db upgrade) before copying again", e);
        }
        indexForSearch();
        for (Map.Entry<String, Long> copied : counts.entrySet()) {
            long inTarget = count(to, copied.getKey());
            if (inTarget != copied.getValue()) {
                throw new MigrationException("copied " + copied.getValue() + " row(s) of " + copied.getKey()
                        + " but the target holds " + inTarget, null);
            }
        }
        return counts;
    }

    /**
     * On a SQLite target, builds each search index (FTS5) from the copied rows. Its triggers index
     * a row as it arrives only below the highest id the index holds (changeset 0019): into a new
     * database, none.
     */
    private void indexForSearch() {
        if (to.engine() != Engine.SQLITE) {
            return;
        }
        to.write(h -> {
            // The names come from the schema, never from input.
            for (String index : h.createQuery("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%'")
                    .mapTo(String.class).list()) {
                h.execute("INSERT INTO " + index + " (" + index + ") VALUES ('rebuild')");
            }
            return null;
        });
    }

    private static void refuseUnlessReady(Database database, String which) {
        List<Migrations.ChangeSetId> pending = new Migrations(database).pending();
        if (!pending.isEmpty()) {
            throw new MigrationException("the " + which + "'s schema is not current (" + pending.size()
                    + " changeset(s) pending); run db upgrade on it first", null);
        }
    }

    /**
     * Why a table of the schema is not copied, or empty when it is. Every table a database lists
     * is copied but these, whose rows are not records to move (CopyTest holds this against every
     * table each engine lists after db upgrade).
     */
    static Optional<String> notCopied(String table) {
        String name = table.toLowerCase(Locale.ROOT);
        if (name.equals("databasechangelog") || name.equals("databasechangeloglock")) {
            return Optional.of("Liquibase's history and lock: the target has its own, from its db upgrade");
        }
        if (name.startsWith("sqlite_")) {
            return Optional.of("SQLite's own (sqlite_sequence holds the id counters, which the copy moves on itself)");
        }
        if (name.equals("history_order")) {
            return Optional.of("its one row, which history writers lock in turn, is made by the target's db upgrade");
        }
        if (name.equals("record_counts")) {
            return Optional.of("kept by the target's triggers as the rows arrive");
        }
        if (SIGN_IN_STATE.contains(name)) {
            return Optional.of("live sign-in state (sessions, the sign-in throttle): the target starts with none; everyone signs in again");
        }
        if (name.equals("imports") || name.startsWith("import_")) {
            return Optional.of("CSV uploads waiting to be applied (for an hour at most) and an import's working rows: nothing to move");
        }
        if (SEARCH_TABLE.matcher(name).matches()) {
            return Optional.of("a SQLite full-text index or one of its shadow tables, built again from the copied rows");
        }
        return Optional.empty();
    }

    /** The tables to copy, as the database lists them. */
    static List<Table> tables(Database database) {
        try {
            return database.read(h -> tables(h.getConnection()));
        } catch (SQLException e) {
            throw new MigrationException("cannot read the tables of the database: " + e.getMessage(), e);
        }
    }

    /**
     * Every table of the connection's schema but those {@link #notCopied}, parents before the
     * tables whose foreign keys refer to them, otherwise by name. A table continues its ids when
     * its primary key is one generated column {@code id} (AUTOINCREMENT, identity, AUTO_INCREMENT).
     */
    static List<Table> tables(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Map<String, Set<String>> parents = new TreeMap<>();
        try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (notCopied(name).isEmpty()) {
                    parents.put(name, new TreeSet<>());
                }
            }
        }
        for (Map.Entry<String, Set<String>> table : parents.entrySet()) {
            try (ResultSet rs = meta.getImportedKeys(connection.getCatalog(), connection.getSchema(), table.getKey())) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME");
                    if (!parent.equals(table.getKey()) && parents.containsKey(parent)) {
                        table.getValue().add(parent);
                    }
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String table : parents.keySet()) {
            parentsFirst(table, parents, new ArrayList<>(), ordered);
        }
        List<Table> tables = new ArrayList<>();
        for (String table : ordered) {
            tables.add(new Table(table, generatedId(connection, table)));
        }
        return List.copyOf(tables);
    }

    private static void parentsFirst(String table, Map<String, Set<String>> parents, List<String> path, List<String> ordered) {
        if (ordered.contains(table)) {
            return;
        }
        if (path.contains(table)) {
            throw new MigrationException("the tables " + path.subList(path.indexOf(table), path.size())
                    + " refer to each other by foreign keys: no order copies them", null);
        }
        path.add(table);
        for (String parent : parents.get(table)) {
            parentsFirst(parent, parents, path, ordered);
        }
        path.remove(path.size() - 1);
        ordered.add(table);
    }

    /** Whether the primary key of {@code table} is a single column {@code id} whose values the database generates. */
    private static boolean generatedId(Connection connection, String table) throws SQLException {
        List<String> key = primaryKey(connection, table);
        if (key.size() != 1 || !key.get(0).equalsIgnoreCase("id")) {
            return false;
        }
        try (ResultSet rs = connection.getMetaData().getColumns(connection.getCatalog(), connection.getSchema(), table, key.get(0))) {
            return rs.next() && "YES".equals(rs.getString("IS_AUTOINCREMENT"));
        }
    }

    private static List<String> lowerCase(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    private static long count(Database database, String table) {
        return database.read(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    private long copy(Handle source, String table) throws SQLException {
        Map<String, Integer> sourceTypes = columns(source.getConnection(), table);
        Map<String, Integer> targetTypes = to.read(h -> columns(h.getConnection(), table));
        List<String> columns = List.copyOf(sourceTypes.keySet());
        List<Integer> types = List.copyOf(sourceTypes.values());
        // A time is read as the source stores it and written as the target does: text on SQLite.
        boolean[] times = new boolean[columns.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = isTime(types.get(i)) || isTime(targetTypes.getOrDefault(columns.get(i), Types.OTHER));
        }
        // A NULL is bound with the target's type: PostgreSQL refuses a NULL typed as SQLite's text
        // for a timestamptz column (an account never disabled, a token that never expires).
        List<Integer> nullTypes = columns.stream().map(c -> targetTypes.getOrDefault(c, sourceTypes.get(c))).toList();
        String select = "SELECT " + String.join(", ", columns) + " FROM " + table
                + " ORDER BY " + String.join(", ", primaryKey(source.getConnection(), table));
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        long total = source.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one();
        long copied = 0;
        long lastReport = System.nanoTime();
        List<Object[]> rows = new ArrayList<>(batch);
        try (Stream<Object[]> stream = source.createQuery(select).setFetchSize(batch).map((rs, ctx) -> {
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = times[i] ? Timestamps.read(rs, i + 1, from.engine()) : rs.getObject(i + 1);
            }
            return row;
        }).stream()) {
            for (var it = stream.iterator(); it.hasNext(); ) {
                rows.add(it.next());
                if (rows.size() == batch || !it.hasNext()) {
                    write(insert, nullTypes, rows);
                    copied += rows.size();
                    rows.clear();
                    if (System.nanoTime() - lastReport > PROGRESS_NANOS || copied == total) {
                        out.printf("%s: %d of %d copied%n", table, copied, total);
                        out.flush();
                        lastReport = System.nanoTime();
                    }
                }
            }
        }
        if (copied == 0) {
            out.printf("%s: nothing to copy%n", table);
        }
        return copied;
    }

    /** One batch in one transaction; a time is bound as the target stores times ({@link Timestamps}), a NULL with its type there. */
    private void write(String insert, List<Integer> nullTypes, List<Object[]> rows) throws SQLException {
        to.write(h -> {
            try (PreparedStatement statement = h.getConnection().prepareStatement(insert)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        if (row[i] == null) {
                            statement.setNull(i + 1, nullTypes.get(i));
                        } else if (row[i] instanceof Instant time) {
                            Timestamps.bind(statement, i + 1, time, to.engine());
                        } else {
                            statement.setObject(i + 1, row[i]);
                        }
                    }
                    statement.addBatch();
                }
                return statement.executeBatch();
            }
        });
    }

    /** The highest id the source ever gave out: on SQLite that of a deleted last row too (AUTOINCREMENT remembers it). */
    private long highWater(Handle source, String table) {
        long max = source.createQuery("SELECT coalesce(max(id), 0) FROM " + table).mapTo(Long.class).one();
        if (from.engine() == Engine.SQLITE) {
            max = Math.max(max, source.createQuery("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = :table")
                    .bind("table", table).mapTo(Long.class).one());
        }
        return max;
    }

    /**
     * Makes the target give out ids after {@code highWater}. Explicit ids move MariaDB's and
     * SQLite's counters by themselves, but not past a deleted last row, and a PostgreSQL identity
     * not at all.
     */
    private void continueIds(String table, long highWater) {
        if (highWater == 0) {
            return;
        }
        to.writeOne(h -> switch (to.engine()) {
            case POSTGRESQL -> h.createQuery("SELECT setval(pg_get_serial_sequence(:table, 'id'), :id)")
                    .bind("table", table).bind("id", highWater).mapTo(Long.class).one();
            // A number, not text from outside: ALTER TABLE takes no bound parameter here.
            case MARIADB -> (long) h.execute("ALTER TABLE " + table + " AUTO_INCREMENT = " + (highWater + 1));
            case SQLITE -> (long) h.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", highWater, table);
        });
    }

    /** The columns of {@code table}, in order, with their JDBC types. */
    private static Map<String, Integer> columns(Connection connection, String table) throws SQLException {
        Map<String, Integer> columns = new LinkedHashMap<>();
        try (ResultSet rs = connection.getMetaData().getColumns(connection.getCatalog(), connection.getSchema(), table, "%")) {
            while (rs.next()) {
                columns.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"));
            }
        }
        return columns;
    }

    private static boolean isTime(int jdbcType) {
        return jdbcType == Types.TIMESTAMP || jdbcType == Types.TIMESTAMP_WITH_TIMEZONE;
    }

    private static List<String> primaryKey(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Map<Integer, String> key = new TreeMap<>();
        try (ResultSet rs = meta.getPrimaryKeys(connection.getCatalog(), connection.getSchema(), table)) {
            while (rs.next()) {
                key.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return List.copyOf(key.values());
    }
}
