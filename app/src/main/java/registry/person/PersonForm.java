package registry.person;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import registry.record.Forms;
import registry.record.YearRange;

/** The person fields as typed or sent, trimmed; {@code born} stays text until it is known to be a year. */
public record PersonForm(
        @NotBlank(message = "Name is required")
        @Size(max = 80, message = "Name must be at most 80 characters long")
        @Pattern(regexp = Forms.NO_CONTROL_CHARACTERS, message = "Name must not contain control characters")
        String name,

        @YearRange(min = 1800, message = "Born must be a year")
        String born) {}
