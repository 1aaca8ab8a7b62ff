package registry.db;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

/**
 * SQLite statements kept prepared from one use to the next, the {@link #KEPT} used last on each
 * handle's connection for as long as the handle is open (a read session keeps its handle for good,
 * the writer for as long as changes keep coming); JDBI asks this builder for each statement and
 * hands it back when done.
 *
 * <p>Why: SQLite compiles every statement anew, and our connections live as long as the server.
 * Profiled under the read load, a list page that was already rendered spent a third of its time on
 * its one statement, the history's head (is the page still current?), and most of that compiling it.
 *
 * <p>A statement is handed out to one user at a time: asked for again while in use (a query inside
 * another's loop), a second one is prepared, and closed when handed back if the first is kept by
 * then. A statement handed back is reset in SQLite: a kept statement holds no snapshot of the database.
 */
final class KeptStatements implements StatementBuilder {
    /** Per connection: more than the statements of any one page or change, far fewer than SQLite's memory would bear. */
    static final int KEPT = 48;

    private final StatementBuilder prepare = new DefaultStatementBuilder();
    private final Map<Key, PreparedStatement> idle = new LinkedHashMap<>(KEPT * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, PreparedStatement> eldest) {
            if (size() <= KEPT) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };
    /** Which key each statement handed out was made for, to give it back under the same. */
    private final Map<Statement, Key> out = new IdentityHashMap<>();

    /** The same SQL asked for with generated keys is another statement in JDBC. */
    private record Key(String sql, boolean keys, String columns) {
        static Key of(String sql, StatementContext ctx) {
            String[] columns = ctx.getGeneratedKeysColumnNames();
            return new Key(sql, ctx.isReturningGeneratedKeys(), columns == null ? "" : Arrays.toString(columns));
        }
    }

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
        return prepare.create(conn, ctx);
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        if (ctx.isConcurrentUpdatable()) {
            return prepare.create(conn, sql, ctx);
        }
        Key key = Key.of(sql, ctx);
        PreparedStatement statement = idle.remove(key);
        if (statement == null) {
            statement = prepare.create(conn, sql, ctx);
        }
        out.put(statement, key);
        return statement;
    }

    /**
     * A kept statement of {@code sql} for {@link Prepared#kept}, outside JDBI; handed back with
     * {@link #close(Connection, String, Statement)}. {@code sql} is already JDBC's, {@code ?} for each parameter.
     */
    PreparedStatement take(Connection conn, String sql) throws SQLException {
        Key key = new Key(sql, false, "");
        PreparedStatement statement = idle.remove(key);
        if (statement == null) {
            statement = conn.prepareStatement(sql);
        }
        out.put(statement, key);
        return statement;
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
        return prepare.createCall(conn, sql, ctx);
    }

    @Override
    public void close(Connection conn, String sql, Statement statement) throws SQLException {
        Key key = out.remove(statement);
        // A limit set on one use (none of ours sets one) would hold for every later use: not kept.
        if (key == null || statement.isClosed() || statement.getMaxRows() != 0 || statement.getQueryTimeout() != 0 || idle.containsKey(key)) {
            statement.close();
            return;
        }
        PreparedStatement prepared = (PreparedStatement) statement;
        try {
            // A statement JDBI ran without reading its rows (a PRAGMA through execute) is still
            // stepping in SQLite, and would hold its snapshot and block commits: reset it.
            statement.unwrap(CoreStatement.class).pointer.safeRunInt(DB::reset);
            prepared.clearParameters();
            prepared.clearBatch();
        } catch (SQLException e) {
            statement.close();
            return;
        }
        idle.put(key, prepared);
    }

    /** The handle closes: so does every statement it kept. */
    @Override
    public void close(Connection conn) {
        idle.values().forEach(KeptStatements::closeQuietly);
        idle.clear();
        out.keySet().forEach(KeptStatements::closeQuietly);
        out.clear();
    }

    private static void closeQuietly(Statement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // Its connection is gone: so is the statement.
        }
    }
}
