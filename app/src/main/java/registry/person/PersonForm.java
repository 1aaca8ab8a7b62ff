package registry.person;

import io.javalin.http.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import registry.record.Forms;
import registry.web.Json;
import registry.record.YearRange;

/** The person fields as typed or sent, trimmed; {@code born} stays text until it is known to be a year. */
record PersonForm(
        @NotBlank(message = "Name is required")
        @Size(max = 80, message = "Name must be at most 80 characters long")
        @Pattern(regexp = Forms.NO_CONTROL_CHARACTERS, message = "Name must not contain control characters")
        String name,

        @YearRange(min = 1800, message = "Born must be a year")
        String born) {

    static final PersonForm EMPTY = new PersonForm("", "");

    static PersonForm from(Context ctx) {
        return new PersonForm(Forms.field(ctx, "name"), Forms.field(ctx, "born"));
    }

    static PersonForm from(Json json) {
        return new PersonForm(json.text("name"), json.wholeAsText("born"));
    }

    static PersonForm of(Person person) {
        return new PersonForm(person.name(), person.born() == null ? "" : person.born().toString());
    }

    /** The year, once validated. */
    Integer bornYear() {
        return born == null || born.isBlank() ? null : Integer.valueOf(born);
    }
}
