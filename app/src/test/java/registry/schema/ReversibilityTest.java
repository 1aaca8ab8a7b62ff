package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.schema.Migrations.ChangeSetId;
import registry.support.Schema;
import registry.support.Schema.Column;
import registry.support.TestDb;

/**
 * Every changeset can be undone and redone without losing schema or rows. Walks the whole
 * changelog, so a changeset added later is covered without editing this test.
 */
class ReversibilityTest {
    private static final int ROWS_PER_TABLE = 3;

    @TempDir
    Path dir;

    private record State(Map<String, String> schema, Map<String, List<String>> rows) {}

    /** Three Liquibase runs per changeset, so it grows with the changelog: in the integration run. */
    @Test
    @Tag("slow")
    void every_changeset_rolls_back_to_the_schema_and_rows_before_it_and_reapplies() throws Exception {
        try (TestDb db = TestDb.empty(dir)) {
            Migrations migrations = db.migrations;
            List<ChangeSetId> all = migrations.pending();
            assertThat(all).isNotEmpty();
            State previous = state(db);
            assertThat(previous.schema()).isEmpty();

            for (ChangeSetId changeSet : all) {
                assertThat(migrations.upgradeBy(1)).as("upgrade to " + changeSet).containsExactly(changeSet);
                State applied = state(db);
                for (String table : previous.rows().keySet()) {
                    if (applied.rows().containsKey(table)) {
                        assertThat(applied.rows().get(table)).as("rows of " + table + " kept by " + changeSet)
                                .hasSizeGreaterThanOrEqualTo(previous.rows().get(table).size());
                    }
                }

                assertThat(migrations.downgrade(1)).as("downgrade from " + changeSet).containsExactly(changeSet);
                State undone = state(db);
                assertThat(undone.schema()).as("schema after rolling back " + changeSet).isEqualTo(previous.schema());
                assertThat(undone.rows()).as("rows after rolling back " + changeSet).isEqualTo(previous.rows());

                assertThat(migrations.upgradeBy(1)).as("re-upgrade to " + changeSet).containsExactly(changeSet);
                State redone = state(db);
                assertThat(redone.schema()).as("schema after re-applying " + changeSet).isEqualTo(applied.schema());
                assertThat(redone.rows()).as("rows after re-applying " + changeSet).isEqualTo(applied.rows());

                seedEmptyTables(db);
                previous = state(db);
            }
            assertThat(migrations.pending()).isEmpty();
        }
    }

    @Test
    void downgrading_everything_and_upgrading_again_gives_the_same_schema() throws Exception {
        try (TestDb db = TestDb.in(dir)) {
            Map<String, String> current = state(db).schema();
            int applied = db.migrations.history().size();

            assertThat(db.migrations.downgrade(applied)).hasSize(applied);
            assertThat(state(db).schema()).isEmpty();
            assertThat(db.migrations.upgrade()).hasSize(applied);
            assertThat(state(db).schema()).isEqualTo(current);
        }
    }

    private static State state(TestDb db) throws SQLException {
        return db.database.read(h -> {
            Connection c = h.getConnection();
            return new State(Schema.of(c), Schema.rows(c));
        });
    }

    /**
     * Puts a few rows into each empty table, parents first, with values that fit the declared
     * type and point foreign keys at existing rows. A table whose CHECK refuses such values stays
     * empty rather than failing the walk, and so do the tables that point at it; their schema is still
     * compared. One statement at a time:
     * on PostgreSQL a refused statement would end the transaction it is in.
     */
    private static void seedEmptyTables(TestDb db) throws SQLException {
        db.database.writeOne(h -> {
            Connection c = h.getConnection();
            for (String table : Schema.tables(c)) {
                if (!Schema.rows(c, "SELECT 1 FROM " + table + " LIMIT 1").isEmpty()) {
                    continue;
                }
                List<Column> columns = Schema.columns(c, table).stream().filter(column -> !column.generated()).toList();
                for (int n = 1; n <= ROWS_PER_TABLE; n++) {
                    insert(c, table, columns, n);
                }
            }
            return null;
        });
    }

    private static void insert(Connection c, String table, List<Column> columns, int n) throws SQLException {
        for (Column column : columns) {
            if (column.parentTable() != null && Schema.rows(c, "SELECT 1 FROM " + column.parentTable() + " LIMIT 1").isEmpty()) {
                return; // its parent table stayed empty (its CHECK refused the made-up values): nothing to point at
            }
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns.stream().map(Column::name).toList()) + ") VALUES ("
                + String.join(", ", columns.stream().map(x -> "?").toList()) + ")";
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                insert.setObject(i + 1, valueFor(c, table, columns.get(i), n));
            }
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!refusedByCheck(e)) {
                throw e;
            }
        }
    }

    /** SQLite's, PostgreSQL's (23514) and MariaDB's (4025) word for a CHECK constraint's refusal. */
    private static boolean refusedByCheck(SQLException e) {
        return String.valueOf(e.getMessage()).contains("CHECK constraint failed") || "23514".equals(e.getSQLState())
                || e.getErrorCode() == 4025;
    }

    private static Object valueFor(Connection c, String table, Column column, int n) throws SQLException {
        if (column.parentTable() != null) {
            List<String> parents = Schema.rows(c, "SELECT " + column.parentColumn() + " FROM " + column.parentTable()
                    + " ORDER BY " + column.parentColumn());
            if (parents.isEmpty()) {
                return null;
            }
            String parent = parents.get((n - 1) % parents.size());
            return parent.matches("-?\\d+") ? Long.valueOf(parent) : parent; // a text key too (an import's id)
        }
        String type = column.type();
        if (type.contains("BLOB") || type.contains("BYTEA")) {
            return (n + "_" + table).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (type.contains("INT")) {
            return 1990 + n;
        }
        if (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB")) {
            return n + 0.5;
        }
        if (type.contains("BOOL")) {
            return n % 2 == 1;
        }
        if (type.contains("TIMESTAMP") || type.contains("DATETIME")) {
            return java.time.LocalDateTime.of(2020, 1, n, 12, 0);
        }
        // Distinct in its first characters, so that cutting it to the column's size keeps it distinct.
        String text = n + "_" + table + "_" + column.name() + "@example.org";
        return column.size() > 0 && column.size() < text.length() ? text.substring(0, column.size()) : text;
    }
}
