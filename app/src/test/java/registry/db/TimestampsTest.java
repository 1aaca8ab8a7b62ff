package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The hand-written time text agrees with the JDK's formatter and reads back to the same instant. */
@Tag("sqlite-only")
class TimestampsTest {
    private static final DateTimeFormatter JDK = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void format_matches_the_jdk_formatter_and_parse_reads_it_back() {
        SplittableRandom random = new SplittableRandom(42);
        long from = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(from, to + 1));
            String text = Timestamps.format(instant);
            assertThat(text).isEqualTo(JDK.format(instant));
            assertThat(Timestamps.parse(text)).isEqualTo(instant);
        }
    }

    @Test
    void edges_and_years_outside_four_digits() {
        for (String edge : new String[] {"1970-01-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
                "2024-02-29T12:00:00.001Z", "1969-12-31T23:59:59.999Z"}) {
            assertThat(Timestamps.format(Instant.parse(edge))).isEqualTo(edge);
        }
        Instant far = Instant.parse("+10000-01-01T00:00:00Z");
        assertThat(Timestamps.format(far)).isEqualTo(JDK.format(far));
        assertThat(Timestamps.format(Instant.parse("2026-11-21T09:00:00.123456789Z"))).as("cut to milliseconds")
                .isEqualTo("2026-11-21T09:00:00.123Z");
    }
}
