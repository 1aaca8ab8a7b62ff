package registry.db;

import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * Times are stored as fixed-width ISO-8601 UTC text with milliseconds ("2026-11-21T04:45:27.123Z"),
 * so that text order is time order and the value reads the same in any SQL shell.
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** Now, at the precision we store. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static String format(Instant instant) {
        return FORMAT.format(instant);
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

    static void register(Jdbi jdbi) {
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.VARCHAR) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setString(position, format(value));
            }
        });
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> parse(rs.getString(column)));
    }
}
