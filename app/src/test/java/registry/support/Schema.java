package registry.support;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import registry.db.Engine;

/**
 * A schema and its rows, read from the database itself, on each engine from its own catalogue:
 * tables with their columns, types, defaults, keys, foreign keys (with their ON DELETE rules),
 * indexes, CHECK constraints, views, triggers (and on PostgreSQL the functions they call).
 * Liquibase's own tables are left out.
 */
public final class Schema {
    private Schema() {}

    /** The column of a table as the seeding of empty tables needs it. */
    public record Column(String name, String type, int size, boolean generated, String parentTable, String parentColumn) {}

    /** Every object of the schema, by a readable key, so two snapshots compare and print well. */
    public static Map<String, String> of(Connection connection) throws SQLException {
        return switch (engine(connection)) {
            case SQLITE -> sqlite(connection);
            case POSTGRESQL -> postgresql(connection);
            case MARIADB -> mariadb(connection);
        };
    }

    private static Engine engine(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("sqlite") ? Engine.SQLITE : product.contains("postgres") ? Engine.POSTGRESQL : Engine.MARIADB;
    }

    private static Map<String, String> postgresql(Connection connection) throws SQLException {
        Map<String, String> schema = new TreeMap<>();
        for (String table : tables(connection)) {
            schema.put("table " + table, "");
            for (String column : rows(connection, "SELECT column_name, data_type, character_maximum_length, datetime_precision, "
                    + "is_nullable, column_default, is_identity FROM information_schema.columns "
                    + "WHERE table_schema = current_schema() AND table_name = '" + table + "'")) {
                schema.put("column " + table + " " + column.split("\\|")[0], column);
            }
            for (String constraint : rows(connection, "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    + "WHERE conrelid = '" + table + "'::regclass")) {
                schema.put("constraint " + table + " " + constraint.split("\\|")[0], normalise(constraint));
            }
            for (String index : rows(connection, "SELECT indexname, indexdef FROM pg_indexes "
                    + "WHERE schemaname = current_schema() AND tablename = '" + table + "'")) {
                schema.put("index " + table + " " + index.split("\\|")[0], normalise(index));
            }
        }
        for (String trigger : rows(connection, "SELECT trigger_name, event_object_table, action_timing, event_manipulation, "
                + "action_statement FROM information_schema.triggers WHERE trigger_schema = current_schema()")) {
            String[] parts = trigger.split("\\|");
            schema.merge("trigger " + parts[0] + " " + parts[1], normalise(trigger), (a, b) -> a + " / " + b);
        }
        for (String function : rows(connection, "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE n.nspname = current_schema() "
                + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')")) { // not an extension's
            schema.put("function " + function.split("\\|")[0], normalise(function));
        }
        return schema;
    }

    private static Map<String, String> mariadb(Connection connection) throws SQLException {
        Map<String, String> schema = new TreeMap<>();
        for (String table : tables(connection)) {
            // SHOW CREATE TABLE says it all: columns, keys, foreign keys, checks, collation; less
            // the next AUTO_INCREMENT value, which rows move.
            String create = rows(connection, "SHOW CREATE TABLE `" + table + "`").get(0);
            schema.put("table " + table, normalise(create.replaceAll(" AUTO_INCREMENT=\\d+", "")));
        }
        for (String trigger : rows(connection, "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, "
                + "ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")) {
            schema.put("trigger " + trigger.split("\\|")[0], normalise(trigger));
        }
        return schema;
    }

    private static Map<String, String> sqlite(Connection connection) throws SQLException {
        Map<String, String> schema = new TreeMap<>();
        for (String table : tables(connection)) {
            schema.put("table " + table, normalise(one(connection, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table)));
            for (String column : rows(connection, "PRAGMA table_xinfo(\"" + table + "\")")) {
                schema.put("column " + table + " " + column.split("\\|")[1], column);
            }
            for (String fk : rows(connection, "PRAGMA foreign_key_list(\"" + table + "\")")) {
                schema.put("foreign key " + table + " " + fk.substring(fk.indexOf('|', fk.indexOf('|') + 1) + 1), "");
            }
            for (String index : rows(connection, "PRAGMA index_list(\"" + table + "\")")) {
                String name = index.split("\\|")[1];
                String columns = String.join(",", rows(connection, "PRAGMA index_xinfo(\"" + name + "\")"));
                schema.put("index " + table + " " + name, index.substring(index.indexOf('|', index.indexOf('|') + 1) + 1) + " " + columns);
            }
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') "
                     + "OR (type = 'index' AND sql IS NOT NULL) OR sql LIKE 'CREATE VIRTUAL TABLE%'")) {
            while (rs.next()) {
                schema.put(rs.getString(1) + " sql " + rs.getString(2), normalise(rs.getString(3)));
            }
        }
        return schema;
    }

    /** The rows of each table as text, sorted (a table without rowid has no order of its own). */
    public static Map<String, List<String>> rows(Connection connection) throws SQLException {
        Map<String, List<String>> data = new TreeMap<>();
        for (String table : tables(connection)) {
            List<String> rows = new ArrayList<>(rows(connection, "SELECT * FROM " + table));
            java.util.Collections.sort(rows);
            data.put(table, rows);
        }
        return data;
    }

    /**
     * Our ordinary tables, parents before the tables whose foreign keys refer to them. Virtual
     * tables (full-text indexes) and their shadow tables are left out: their rows follow the
     * tables they index, and their definitions are in {@link #of}.
     */
    public static List<String> tables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        for (String name : allTables(connection)) {
            if (!name.toLowerCase(Locale.ROOT).startsWith("databasechangelog") && !name.startsWith("sqlite_")) {
                names.add(name);
            }
        }
        java.util.Collections.sort(names);
        if (engine(connection) == Engine.SQLITE) {
            // The shadow tables of full-text indexes are ordinary tables to the driver.
            names.retainAll(rows(connection, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"));
        }
        List<String> ordered = new ArrayList<>();
        while (!names.isEmpty()) {
            int before = ordered.size();
            for (String table : List.copyOf(names)) {
                List<String> parents = new ArrayList<>();
                for (Column column : columns(connection, table)) {
                    if (column.parentTable() != null) {
                        parents.add(column.parentTable());
                    }
                }
                parents.remove(table);
                if (ordered.containsAll(parents) || parents.stream().noneMatch(names::contains)) {
                    ordered.add(table);
                    names.remove(table);
                }
            }
            if (ordered.size() == before) {
                ordered.addAll(names); // a cycle: order no longer matters for reading
                break;
            }
        }
        return ordered;
    }

    /** Every table of the database (of the connection's schema), Liquibase's included. */
    public static List<String> allTables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    /** The columns of {@code table} in order, from the driver's metadata. */
    public static List<Column> columns(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Map<String, String[]> parents = new TreeMap<>();
        try (ResultSet rs = meta.getImportedKeys(connection.getCatalog(), connection.getSchema(), table)) {
            while (rs.next()) {
                parents.put(rs.getString("FKCOLUMN_NAME"), new String[] {rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME")});
            }
        }
        List<Column> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(connection.getCatalog(), connection.getSchema(), table, "%")) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                String[] parent = parents.getOrDefault(name, new String[2]);
                columns.add(new Column(name, rs.getString("TYPE_NAME").toUpperCase(Locale.ROOT), rs.getInt("COLUMN_SIZE"),
                        "YES".equals(rs.getString("IS_AUTOINCREMENT")), parent[0], parent[1]));
            }
        }
        return columns;
    }

    /** The names of the indexes of {@code table}, sorted. */
    public static List<String> indexes(Connection connection, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = connection.getMetaData().getIndexInfo(connection.getCatalog(), connection.getSchema(), table, false, false)) {
            while (rs.next()) {
                if (rs.getString("INDEX_NAME") != null && !names.contains(rs.getString("INDEX_NAME"))) {
                    names.add(rs.getString("INDEX_NAME"));
                }
            }
        }
        java.util.Collections.sort(names);
        return names;
    }

    /** Lower case, no identifier quotes, single spaces: "name" and name are the same column to SQLite. */
    private static String normalise(String sql) {
        return sql == null ? "" : sql.replace("\"", "").replace("`", "").replaceAll("\\s+", " ")
                .replaceAll(" ?([(),]) ?", "$1").strip().toLowerCase(Locale.ROOT);
    }

    private static String one(Connection connection, String sql, String arg) throws SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            statement.setString(1, arg);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Each row as its values joined by |. */
    public static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
