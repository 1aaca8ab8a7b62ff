package registry.db;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * How times are stored, per engine, with millisecond precision. SQLite has no time type: there
 * they are fixed-width ISO-8601 UTC text ("2026-11-21T04:45:27.123Z"), so that text order is time
 * order and the value reads the same in any SQL shell. PostgreSQL keeps {@code timestamptz}.
 * MariaDB's {@code DATETIME(3)} has no zone, so it holds UTC, written and read as UTC here whatever
 * the server's or the JVM's zone ({@code TIMESTAMP} would be converted by the session zone and
 * ends in 2038).
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** Now, at the precision we store. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * "2026-11-21T04:45:27.123Z": the stored text on SQLite, and what pages show. Written by hand
     * for years 0 to 9999: a DateTimeFormatter (or Instant.toString) cost more than the rest of
     * a list row's rendering. Other years go to the formatter.
     */
    public static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return FORMAT.format(instant);
        }
        char[] text = "0000-00-00T00:00:00.000Z".toCharArray();
        put(text, 0, 4, year);
        put(text, 5, 7, t.getMonthValue());
        put(text, 8, 10, t.getDayOfMonth());
        put(text, 11, 13, t.getHour());
        put(text, 14, 16, t.getMinute());
        put(text, 17, 19, t.getSecond());
        put(text, 20, 23, t.getNano() / 1_000_000);
        return new String(text);
    }

    /** Writes {@code value} as the digits text[from, to), right-aligned, zero-padded. */
    private static void put(char[] text, int from, int to, int value) {
        for (int i = to - 1; i >= from; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Reads our own fixed format by hand: Instant.parse is general and slow, and a list page reads
     * two timestamps per row. Anything else (a value written by hand, say) goes to Instant.parse.
     */
    static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(10) != 'T' || text.charAt(19) != '.' || text.charAt(23) != 'Z') {
            return Instant.parse(text);
        }
        return LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10), digits(text, 11, 13),
                digits(text, 14, 16), digits(text, 17, 19), digits(text, 20, 23) * 1_000_000).toInstant(ZoneOffset.UTC);
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new java.time.format.DateTimeParseException("not a timestamp", text, i);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Reads a time column as the engine stores it. */
    public static Instant read(ResultSet rs, int column, Engine engine) throws SQLException {
        return switch (engine) {
            case SQLITE -> parse(rs.getString(column));
            case POSTGRESQL -> {
                OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
                yield value == null ? null : value.toInstant();
            }
            case MARIADB -> {
                LocalDateTime value = rs.getObject(column, LocalDateTime.class);
                yield value == null ? null : value.toInstant(ZoneOffset.UTC);
            }
        };
    }

    /** Binds a time as the engine stores it. */
    public static void bind(PreparedStatement statement, int position, Instant value, Engine engine) throws SQLException {
        switch (engine) {
            case SQLITE -> statement.setString(position, format(value));
            case POSTGRESQL -> statement.setObject(position, value.atOffset(ZoneOffset.UTC));
            case MARIADB -> statement.setObject(position, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static void register(Jdbi jdbi, Engine engine) {
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(engine == Engine.SQLITE ? Types.VARCHAR : Types.TIMESTAMP) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) -> bind(statement, position, value, engine);
            }
        });
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> read(rs, column, engine));
    }
}
