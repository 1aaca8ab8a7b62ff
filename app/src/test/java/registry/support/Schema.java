package registry.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A SQLite schema and its rows, read from the database itself: tables with their columns, types,
 * defaults, keys, foreign keys (with their ON DELETE rules), indexes, CHECK constraints (through
 * the normalised CREATE text), views and triggers. Liquibase's own tables are left out.
 */
public final class Schema {
    private Schema() {}

    /** Every object of the schema, by a readable key, so two snapshots compare and print well. */
    public static Map<String, String> of(Connection connection) throws SQLException {
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
            List<String> rows = new ArrayList<>(rows(connection, "SELECT * FROM \"" + table + "\""));
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
        for (String row : rows(connection, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
                + "AND name NOT LIKE 'sqlite_%' AND name NOT IN ('DATABASECHANGELOG', 'DATABASECHANGELOGLOCK') ORDER BY name")) {
            names.add(row);
        }
        List<String> ordered = new ArrayList<>();
        while (!names.isEmpty()) {
            int before = ordered.size();
            for (String table : List.copyOf(names)) {
                List<String> parents = new ArrayList<>();
                for (String fk : rows(connection, "PRAGMA foreign_key_list(\"" + table + "\")")) {
                    parents.add(fk.split("\\|")[2]);
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
