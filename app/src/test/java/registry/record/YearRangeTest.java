package registry.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Year;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import registry.movie.MovieForm;

/** A year as typed: blank, or one to four digits from the first film to ten years ahead. */
@Tag("sqlite-only")
class YearRangeTest {
    private static final int LAST = Year.now().getValue() + 10;

    @Test
    void a_year_in_range_or_none_passes() {
        for (String year : new String[] {"", "1888", "1977", Integer.toString(LAST)}) {
            assertThat(Forms.validate(new MovieForm("Alien", year)).isEmpty()).as("year '%s'", year).isTrue();
        }
    }

    @Test
    void anything_else_is_refused_with_the_bounds() {
        String message = "Year must be a year from 1888 to " + LAST;
        for (String year : new String[] {"1887", Integer.toString(LAST + 1), "19999", "-1977", "+197", "197x", "１９７７", "19 7", "0"}) {
            assertThat(Forms.validate(new MovieForm("Alien", year)).ordered().get("year")).as("year '%s'", year).containsExactly(message);
        }
    }

    @Test
    void digits_reads_one_to_four_ascii_digits_only() {
        assertThat(YearRange.Check.digits("7")).isEqualTo(7);
        assertThat(YearRange.Check.digits("2024")).isEqualTo(2024);
        assertThat(YearRange.Check.digits("0042")).isEqualTo(42);
        assertThat(YearRange.Check.digits("")).isEqualTo(-1);
        assertThat(YearRange.Check.digits("20245")).isEqualTo(-1);
        assertThat(YearRange.Check.digits("٢٠٢٤")).as("Arabic-Indic digits").isEqualTo(-1);
    }
}
