package registry.credit;

import io.javalin.http.Context;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import registry.record.FieldErrors;
import registry.record.OneOf;
import registry.web.Params;
import registry.web.Json;

/**
 * A credit to add: a person, picked by id or named (an existing person's name, ignoring case, or a
 * new person's), and a role. A new name is checked by the person form's own rules when the credit
 * is added ({@link Credits#add}), so they are not written here a second time.
 */
record CreditForm(
        @Pattern(regexp = "\\d{0,18}", message = "Choose a person from the list")
        String personId,

        String personName,

        @NotBlank(message = "Choose a role")
        @OneOf(value = Role.class, message = "Role must be one of")
        String role) {

    static final CreditForm EMPTY = new CreditForm("", "", "");

    static CreditForm from(Context ctx) {
        return new CreditForm(Params.field(ctx, "person_id"), Params.field(ctx, "person_name"), Params.field(ctx, "role"));
    }

    static CreditForm from(Json json) {
        String name = json.text("person_name");
        return new CreditForm(json.wholeAsText("person_id"), name == null ? "" : name, json.text("role"));
    }

    /** {@code errors} (the constraints' messages), and "choose a person" when neither a person nor a name is given. */
    FieldErrors validate(FieldErrors errors) {
        if (personId.isEmpty() && personName.isEmpty() && !errors.has("person_name")) {
            errors.addMissing(FieldErrors.of("person_id", "Choose a person, or type a new person's name"));
        }
        return errors;
    }

    boolean picked() {
        return !personId.isEmpty();
    }

    boolean named() {
        return !personName.isEmpty();
    }

    long person() {
        return Long.parseLong(personId);
    }

    /** Whether this form has the person of {@code id} chosen, to keep the choice on a 422. */
    public boolean picks(long id) {
        return personId != null && personId.equals(Long.toString(id));
    }
}
