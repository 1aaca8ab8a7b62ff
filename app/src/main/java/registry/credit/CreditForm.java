package registry.credit;

import io.javalin.http.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import registry.record.OneOf;
import registry.web.Params;
import registry.web.Json;

/** A credit to add: a person (by id, as picked) and a role. */
record CreditForm(
        @NotBlank(message = "Choose a person")
        @Pattern(regexp = "\\d{1,18}", message = "Choose a person from the list")
        String personId,

        @NotBlank(message = "Choose a role")
        @OneOf(value = Role.class, message = "Role must be one of")
        String role) {

    static final CreditForm EMPTY = new CreditForm("", "");

    static CreditForm from(Context ctx) {
        return new CreditForm(Params.field(ctx, "person_id"), Params.field(ctx, "role"));
    }

    static CreditForm from(Json json) {
        return new CreditForm(json.wholeAsText("person_id"), json.text("role"));
    }

    long person() {
        return Long.parseLong(personId);
    }

    /** Whether this form has the person of {@code id} chosen, to keep the choice on a 422. */
    public boolean picks(long id) {
        return personId != null && personId.equals(Long.toString(id));
    }
}
