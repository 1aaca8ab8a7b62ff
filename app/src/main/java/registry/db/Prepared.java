package registry.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One of our statements, with JDBI's named parameters ({@code :name}), run through JDBC: for the
 * statements run most often. Measured on SQLite, an insert through JDBI's fluent API cost 96 µs
 * and the same prepared statement run through JDBC 22–41 µs. An import prepares its few
 * statements once ({@link #of}) and runs them for every row of its file. Every create runs its
 * insert, reads its id and writes its history entry through the handle's kept statements
 * ({@link #kept}): profiled under the bench's write load, JDBI's binding and execution took about
 * twice the time SQLite took for those statements, in the one thread every write waits for.
 */
public final class Prepared implements AutoCloseable {
    /** Each SQL text run here, with {@code ?} for its names, and where each name is: our statements are a fixed few. */
    private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

    private record Parsed(String sql, Map<String, List<Integer>> positions) {}

    private final PreparedStatement statement;
    private final Map<String, List<Integer>> positions;
    private final Engine engine;
    /** Where {@link #close} hands the statement back, for a kept one; else null. */
    private final Handle keeper;
    /** For a kept one, the SQL as written, and what was bound, while {@link QueryLog} wants them; else null. */
    private final String logged;
    private final Map<String, Object> bound;

    private Prepared(PreparedStatement statement, Map<String, List<Integer>> positions, Engine engine, Handle keeper, String logged) {
        this.statement = statement;
        this.positions = positions;
        this.engine = engine;
        this.keeper = keeper;
        this.logged = logged;
        this.bound = logged == null ? null : new LinkedHashMap<>();
    }

    private Prepared(PreparedStatement statement, Map<String, List<Integer>> positions, Engine engine) {
        this(statement, positions, engine, null, null);
    }

    /**
     * {@code sql} as {@code h} keeps it prepared on SQLite ({@link KeptStatements}, as JDBI's
     * statements are), prepared now on the servers; closing hands it back. Its runs are logged
     * and recorded as JDBI's statements are ({@code database.echo}, {@code database.record-queries}).
     */
    public static Prepared kept(Handle h, String sql) {
        Parsed parsed = parsed(sql);
        String logged = h.getConfig(SqlStatements.class).getSqlLogger() instanceof QueryLog log && log.wanted() ? sql : null;
        try {
            PreparedStatement statement = h.getStatementBuilder() instanceof KeptStatements kept
                    ? kept.take(h.getConnection(), parsed.sql())
                    : h.getConnection().prepareStatement(parsed.sql());
            return new Prepared(statement, parsed.positions(), engine(h), h, logged);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The handle's engine: as Database's handles say, else (a handle opened on a connection of its own) as its URL says. */
    private static Engine engine(Handle h) {
        Engine engine = Engine.of(h);
        if (engine != null) {
            return engine;
        }
        try {
            return Engine.of(h.getConnection().getMetaData().getURL());
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** A failure of a kept statement as JDBI reports one: what callers of a create already handle (a duplicate, say). */
    public static JdbiException failed(SQLException e) {
        return new UnableToExecuteStatementException(e.getMessage(), e, null);
    }

    /** Prepares {@code sql} on {@code h}'s connection (an insert that needs its new id ends "RETURNING id" and is a {@link #query}). */
    public static Prepared of(Handle h, String sql) {
        Parsed parsed = parsed(sql);
        try {
            PreparedStatement statement = h.getConnection().prepareStatement(parsed.sql());
            return new Prepared(statement, parsed.positions(), engine(h));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare " + parsed.sql() + ": " + e.getMessage(), e);
        }
    }

    private static Parsed parsed(String sql) {
        return PARSED.computeIfAbsent(sql, text -> {
            Map<String, List<Integer>> positions = new HashMap<>();
            return new Parsed(positional(text, positions), positions);
        });
    }

    /** {@code :name} → {@code ?}, noting each name's positions; quoted text and {@code ::} casts are left as they are. */
    static String positional(String sql, Map<String, List<Integer>> positions) {
        StringBuilder out = new StringBuilder(sql.length());
        int position = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                int end = sql.indexOf('\'', i + 1);
                end = end < 0 ? sql.length() - 1 : end;
                out.append(sql, i, end + 1);
                i = end;
            } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                out.append("::");
                i++;
            } else if (c == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                positions.computeIfAbsent(sql.substring(i + 1, end), name -> new ArrayList<>()).add(++position);
                out.append('?');
                i = end - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Binds {@code value} (text, a whole number, a time, bytes) to every place of {@code name}; null as a value of {@code type}. */
    public Prepared set(String name, Object value, Class<?> type) {
        List<Integer> at = positions.get(name);
        if (at == null) {
            throw new IllegalArgumentException("no parameter :" + name);
        }
        if (bound != null) {
            bound.put(name, value);
        }
        try {
            for (int position : at) {
                if (value == null) {
                    statement.setNull(position, type == String.class ? Types.VARCHAR : type == Instant.class ? Types.TIMESTAMP : Types.BIGINT);
                } else if (value instanceof Instant time) {
                    Timestamps.bind(statement, position, time, engine);
                } else {
                    statement.setObject(position, value);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bind :" + name + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Binds a value that is never null. */
    public Prepared set(String name, Object value) {
        return set(name, value, value.getClass());
    }

    /** Runs an INSERT, UPDATE or DELETE: the rows changed. */
    public int update() throws SQLException {
        return run(statement::executeUpdate);
    }

    /** Runs a query; the caller closes the result. */
    public ResultSet query() throws SQLException {
        return run(statement::executeQuery);
    }

    private interface Run<T> {
        T run() throws SQLException;
    }

    private <T> T run(Run<T> run) throws SQLException {
        long start = System.nanoTime();
        try {
            T result = run.run();
            log(start, "");
            return result;
        } catch (SQLException e) {
            log(start, " failed: " + e.getMessage());
            throw e;
        }
    }

    private void log(long start, String outcome) {
        if (logged != null && keeper.getConfig(SqlStatements.class).getSqlLogger() instanceof QueryLog log) {
            log.record(logged, (System.nanoTime() - start) / 1000, outcome, bound);
        }
    }

    @Override
    public void close() {
        try {
            if (keeper != null && keeper.getStatementBuilder() instanceof KeptStatements kept) {
                kept.close(keeper.getConnection(), null, statement);
            } else {
                statement.close();
            }
        } catch (SQLException e) {
            // The connection failed under it: nothing left to free.
        }
    }
}
