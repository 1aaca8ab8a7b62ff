package registry.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * One of our statements, with JDBI's named parameters ({@code :name}), prepared once on a
 * handle's connection and run many times through JDBC: for the one path that runs the same few
 * statements for every row of a file (an import). Measured on SQLite, an insert through JDBI's
 * fluent API cost 96 µs and the same prepared statement run through JDBC 22–41 µs; an import
 * makes three or four statements a row.
 */
public final class Prepared implements AutoCloseable {
    private final PreparedStatement statement;
    private final Map<String, List<Integer>> positions;
    private final Engine engine;

    private Prepared(PreparedStatement statement, Map<String, List<Integer>> positions, Engine engine) {
        this.statement = statement;
        this.positions = positions;
        this.engine = engine;
    }

    /** Prepares {@code sql} on {@code h}'s connection (an insert that needs its new id ends "RETURNING id" and is a {@link #query}). */
    public static Prepared of(Handle h, String sql) {
        Map<String, List<Integer>> positions = new HashMap<>();
        String positional = positional(sql, positions);
        try {
            PreparedStatement statement = h.getConnection().prepareStatement(positional);
            return new Prepared(statement, positions, Engine.of(h));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare " + positional + ": " + e.getMessage(), e);
        }
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
        return statement.executeUpdate();
    }

    /** Runs a query; the caller closes the result. */
    public ResultSet query() throws SQLException {
        return statement.executeQuery();
    }

    @Override
    public void close() {
        try {
            statement.close();
        } catch (SQLException e) {
            // The connection failed under it: nothing left to free.
        }
    }
}
