package registry.credit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a person did on a movie: the one list forms, the API and pages use. The credits table's
 * CHECK constraint says the same in SQL (migrations/changes/0010-create-credits.xml).
 */
public enum Role {
    DIRECTOR, WRITER, ACTOR, PRODUCER;

    /** The role named {@code name} exactly as stored ("director"), if there is one. */
    public static Optional<Role> of(String name) {
        return Arrays.stream(values()).filter(r -> r.toString().equals(name)).findFirst();
    }

    /** Every role's name, in the order forms and facets list them. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Role::toString).toList();
    }

    /** The name as stored, typed and shown: "director". */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
