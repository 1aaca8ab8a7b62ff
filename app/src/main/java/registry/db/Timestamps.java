package registry.db;

import java.sql.Types;
import java.time.Instant;
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

    static void register(Jdbi jdbi) {
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.VARCHAR) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setString(position, format(value));
            }
        });
        jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> {
            String text = rs.getString(column);
            return text == null ? null : Instant.parse(text);
        });
    }
}
