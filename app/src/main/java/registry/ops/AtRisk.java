package registry.ops;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import registry.db.Database;
import registry.schema.MigrationException;

/**
 * The tables a downgrade would drop or empty while they hold rows, read from the rollback SQL
 * Liquibase would run (the same on every engine: our rollbacks are native SQL). Tables kept by
 * triggers, and Liquibase's own, are left out by the rule that leaves them out of a {@link Copy}.
 */
public final class AtRisk {
    /** {@code DROP TABLE [IF EXISTS] t}, {@code DELETE FROM t}, {@code TRUNCATE [TABLE] t}; t may be schema-qualified and quoted. */
    private static final Pattern LOSES_ROWS = Pattern.compile(
            "(?i)\\b(?:DROP\\s+TABLE(?:\\s+IF\\s+EXISTS)?|DELETE\\s+FROM|TRUNCATE(?:\\s+TABLE)?)\\s+((?:[\"`\\w]+\\.)?[\"`\\w]+)");

    private AtRisk() {}

    /** The tables the statements of {@code sql} drop or empty, by their name in lower case, in the order they come. */
    static Set<String> tablesLosingRows(String sql) {
        Set<String> tables = new LinkedHashSet<>();
        Matcher m = LOSES_ROWS.matcher(sql);
        while (m.find()) {
            String name = m.group(1).replaceAll("[\"`]", "");
            name = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (Copy.notCopied(name).isEmpty()) {
                tables.add(name);
            }
        }
        return tables;
    }

    /** Of the tables {@code rollbackSql} drops or empties, those that exist now and hold rows, with their row counts. */
    public static Map<String, Long> rows(Database database, String rollbackSql) {
        Map<String, Long> holding = new LinkedHashMap<>();
        for (String table : tablesLosingRows(rollbackSql)) {
            if (!exists(database, table)) {
                continue;
            }
            // The name comes from our own changelog's SQL and matched \w+ above: no quoting needed.
            long rows = database.read(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
            if (rows > 0) {
                holding.put(table, rows);
            }
        }
        return holding;
    }

    /** "credits (3 rows), movies (1 row)". */
    public static String describe(Map<String, Long> tables) {
        return String.join(", ", tables.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " row)" : " rows)")).toList());
    }

    private static boolean exists(Database database, String table) {
        return database.read(h -> {
            try {
                Connection connection = h.getConnection();
                DatabaseMetaData meta = connection.getMetaData();
                String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), name, null)) {
                    return tables.next();
                }
            } catch (SQLException e) {
                throw new MigrationException("cannot read the database's tables: " + e.getMessage(), e);
            }
        });
    }
}
