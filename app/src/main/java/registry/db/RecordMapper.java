package registry.db;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps rows to Java records by column name (snake_case columns to camelCase components). JDBI's
 * ConstructorMapper does the same but works out the column of each component again for every
 * result set, which profiling showed to cost more than the query on a list page; here that plan
 * is made once per record type and column layout and kept.
 */
final class RecordMapper implements RowMapperFactory {
    private final Map<Class<?>, Optional<Shape>> shapes = new ConcurrentHashMap<>();
    private final Engine engine;

    RecordMapper(Engine engine) {
        this.engine = engine;
    }

    /** A record type's canonical constructor and components. */
    private record Shape(MethodHandle constructor, RecordComponent[] components) {}

    @Override
    public Optional<RowMapper<?>> build(Type type, ConfigRegistry config) {
        if (!(type instanceof Class<?> raw) || !raw.isRecord() || !raw.getPackageName().startsWith("registry.")) {
            return Optional.empty();
        }
        return shapes.computeIfAbsent(raw, RecordMapper::shape).map(shape -> new Mapper(shape, engine));
    }

    private static Optional<Shape> shape(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            var lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            MethodHandle constructor = lookup.unreflectConstructor(type.getDeclaredConstructor(types));
            return Optional.of(new Shape(constructor.asSpreader(Object[].class, components.length), components));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /** Maps a record type's rows; each result set's column layout is planned once and kept. */
    private static final class Mapper implements RowMapper<Object> {
        private final Shape shape;
        private final Engine engine;
        private final Map<List<String>, int[]> plans = new ConcurrentHashMap<>();

        Mapper(Shape shape, Engine engine) {
            this.shape = shape;
            this.engine = engine;
        }

        @Override
        public RowMapper<Object> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
            int[] columns = plan(rs.getMetaData());
            return (row, context) -> map(row, columns);
        }

        @Override
        public Object map(ResultSet rs, StatementContext ctx) throws SQLException {
            return map(rs, plan(rs.getMetaData()));
        }

        private Object map(ResultSet rs, int[] columns) throws SQLException {
            RecordComponent[] components = shape.components();
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = read(rs, columns[i], components[i].getType(), engine);
            }
            try {
                return shape.constructor().invoke(args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot build " + components[0].getDeclaringRecord().getSimpleName(), e);
            }
        }

        private int[] plan(ResultSetMetaData meta) throws SQLException {
            String[] labels = new String[meta.getColumnCount()];
            for (int c = 1; c <= labels.length; c++) {
                labels[c - 1] = meta.getColumnLabel(c).replace("_", "").toLowerCase(Locale.ROOT);
            }
            return plans.computeIfAbsent(List.of(labels), layout -> {
                RecordComponent[] components = shape.components();
                int[] plan = new int[components.length];
                for (int i = 0; i < components.length; i++) {
                    String name = components[i].getName().toLowerCase(Locale.ROOT);
                    plan[i] = layout.indexOf(name) + 1;
                    if (plan[i] == 0) {
                        throw new IllegalStateException("no column for " + components[i].getDeclaringRecord().getSimpleName()
                                + "." + components[i].getName() + " among " + layout);
                    }
                }
                return plan;
            });
        }

        private static Object read(ResultSet rs, int column, Class<?> type, Engine engine) throws SQLException {
            if (type == long.class) {
                return rs.getLong(column);
            }
            if (type == int.class) {
                return rs.getInt(column);
            }
            if (type == String.class) {
                return rs.getString(column);
            }
            if (type == Instant.class) {
                return Timestamps.read(rs, column, engine);
            }
            if (type == Integer.class) {
                int value = rs.getInt(column);
                return rs.wasNull() ? null : value;
            }
            if (type == Long.class) {
                long value = rs.getLong(column);
                return rs.wasNull() ? null : value;
            }
            throw new IllegalStateException("no mapping for a column of type " + type.getName());
        }
    }
}
