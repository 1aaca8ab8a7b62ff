package registry.record;

import java.util.function.Function;
import registry.db.Engine;

/**
 * A value of a record computed from other tables as it is read (a movie's directors, from its
 * credits), declared with its kind: its name (the JSON member and CSV column), its label (the
 * list's column head) and, per engine, a scalar subquery for the record whose id is {@code {id}}.
 * It is text, "" when there is nothing to compute it from. It is read-only: forms, the API's
 * writes and imports do not take it, and it changes only as the rows it comes from change.
 */
public record Derived(String name, String label, Function<Engine, String> sql) {
    /** Its value in {@code engine}'s SQL for the record whose id is the column {@code id}: never NULL. */
    String select(Engine engine, String id) {
        return "COALESCE((" + sql.apply(engine).replace("{id}", id) + "), '') AS " + name;
    }
}
