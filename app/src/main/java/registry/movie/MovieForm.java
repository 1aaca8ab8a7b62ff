package registry.movie;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import registry.record.Forms;
import registry.record.YearRange;

/** The movie fields as typed or sent, trimmed; {@code year} stays text until it is known to be a year. */
public record MovieForm(
        @NotBlank(message = "Title is required")
        @Size(max = 200, message = "Title must be at most 200 characters long")
        @Pattern(regexp = Forms.NO_CONTROL_CHARACTERS, message = "Title must not contain control characters")
        String title,

        @YearRange(min = 1888, yearsAhead = 10, message = "Year must be a year")
        String year) {}
