package registry.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import liquibase.Scope;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.ValidationErrors;
import liquibase.executor.Executor;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;
import liquibase.resource.ResourceAccessor;
import registry.db.CaseFold;

/**
 * A changeset's step that fills the {@code <column>_search} columns of the rows already in a table
 * with {@link CaseFold#forSearch} of their {@code <column>}, as the app fills them for every row it
 * writes. The folding is Java's and no engine's SQL can repeat it exactly, so it runs here, in the
 * changeset's transaction, on Liquibase's own connection. In the changelog:
 * {@code <customChange class="registry.schema.FillSearchColumns"><param name="table" value="users"/>
 * <param name="columns" value="username,email"/></customChange>}.
 *
 * <p>Rows are read and updated a thousand at a time, by id, so that memory stays flat on a large
 * table and no result is open while its table is written (the MariaDB driver would read the rest
 * of a streamed result into memory first). Under {@code db sql} (Liquibase's SQL output) it runs
 * nothing and says what it would do.
 */
public final class FillSearchColumns implements CustomTaskChange {
    private static final int BATCH = 1000;

    private String table;
    private List<String> columns = List.of();

    /** The table, from the changelog: one of our own names, never user input. */
    public void setTable(String table) {
        this.table = table;
    }

    /** The fields' columns, comma-separated; each has its {@code <column>_search} beside it. */
    public void setColumns(String columns) {
        this.columns = Arrays.stream(columns.split(",")).map(String::strip).toList();
    }

    @Override
    public void execute(Database database) throws CustomChangeException {
        Executor executor = Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database);
        if (executor instanceof LoggingExecutor) {
            try {
                executor.comment("Fill " + searchColumns() + " of every row of " + table + " from " + String.join(", ", columns)
                        + ", folded in Java (registry.db.CaseFold.forSearch)");
            } catch (liquibase.exception.DatabaseException e) {
                throw new CustomChangeException(e);
            }
            return;
        }
        Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
        String select = "SELECT id, " + String.join(", ", columns) + " FROM " + table + " WHERE id > ? ORDER BY id LIMIT " + BATCH;
        String update = "UPDATE " + table + " SET " + columns.stream().map(c -> c + "_search = ?").collect(Collectors.joining(", "))
                + " WHERE id = ?";
        try (PreparedStatement read = connection.prepareStatement(select); PreparedStatement write = connection.prepareStatement(update)) {
            long after = 0;
            while (true) {
                List<Object[]> rows = new ArrayList<>(BATCH);
                read.setLong(1, after);
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        Object[] row = new Object[columns.size() + 1];
                        row[0] = rs.getLong(1);
                        for (int i = 0; i < columns.size(); i++) {
                            row[i + 1] = rs.getString(i + 2);
                        }
                        rows.add(row);
                    }
                }
                if (rows.isEmpty()) {
                    return;
                }
                for (Object[] row : rows) {
                    for (int i = 0; i < columns.size(); i++) {
                        write.setString(i + 1, row[i + 1] == null ? null : CaseFold.forSearch((String) row[i + 1]));
                    }
                    write.setLong(columns.size() + 1, (Long) row[0]);
                    write.addBatch();
                }
                write.executeBatch();
                after = (Long) rows.get(rows.size() - 1)[0];
            }
        } catch (SQLException e) {
            throw new CustomChangeException("cannot fill " + searchColumns() + " of " + table + ": " + e.getMessage(), e);
        }
    }

    private String searchColumns() {
        return columns.stream().map(c -> c + "_search").collect(Collectors.joining(", "));
    }

    @Override
    public String getConfirmationMessage() {
        return "Filled " + searchColumns() + " of " + table;
    }

    @Override
    public void setUp() {
        // Nothing to prepare: the parameters are all it needs.
    }

    @Override
    public void setFileOpener(ResourceAccessor resourceAccessor) {
        // It reads no files.
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        if (table == null || columns.isEmpty()) {
            errors.addError("FillSearchColumns needs the parameters table and columns");
        }
        return errors;
    }
}
