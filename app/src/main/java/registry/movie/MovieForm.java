package registry.movie;

import io.javalin.http.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import registry.record.Forms;
import registry.web.Json;
import registry.record.YearRange;

/** The movie fields as typed or sent, trimmed; {@code year} stays text until it is known to be a year. */
record MovieForm(
        @NotBlank(message = "Title is required")
        @Size(max = 200, message = "Title must be at most 200 characters long")
        @Pattern(regexp = Forms.NO_CONTROL_CHARACTERS, message = "Title must not contain control characters")
        String title,

        @YearRange(min = 1888, yearsAhead = 10, message = "Year must be a year")
        String year) {

    static final MovieForm EMPTY = new MovieForm("", "");

    static MovieForm from(Context ctx) {
        return new MovieForm(Forms.field(ctx, "title"), Forms.field(ctx, "year"));
    }

    static MovieForm from(Json json) {
        return new MovieForm(json.text("title"), json.wholeAsText("year"));
    }

    static MovieForm of(Movie movie) {
        return new MovieForm(movie.title(), movie.year() == null ? "" : movie.year().toString());
    }

    Integer yearNumber() {
        return year == null || year.isBlank() ? null : Integer.valueOf(year);
    }
}
