package registry.credit;

import java.util.Arrays;
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

    /** The name as stored, typed and shown: "director". */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
