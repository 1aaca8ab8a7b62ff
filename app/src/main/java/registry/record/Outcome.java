package registry.record;

/** What a change to a record came to; the pages and the API each turn it into their own answer. */
public sealed interface Outcome<T> {
    /**
     * The change was made; {@code value} is the record as stored (or as it was, for a delete), and
     * {@code cascaded} how many rows of other tables went with a delete.
     */
    record Done<T>(T value, int cascaded) implements Outcome<T> {
        public Done(T value) {
            this(value, 0);
        }
    }

    /** The input was refused; {@code duplicate} when a unique rule is the only reason. */
    record Invalid<T>(FieldErrors errors, boolean duplicate) implements Outcome<T> {}

    record NotFound<T>() implements Outcome<T> {}

    /** The given version is not the current one; nothing changed. */
    record Stale<T>(T current) implements Outcome<T> {}
}
