package registry.imports;

import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * What an import brings in: one kind of record, or credits. The import reads the file and keeps
 * the tally; a target knows its columns and checks and applies one row at a time, by the same rules
 * as its form (SPEC "Import").
 */
public interface Target {
    /** The kind as URLs and the history name it: "movies", "credits". */
    String kind();

    /** Every column it takes. */
    Set<String> columns();

    /** Columns the export writes that are not fields (created_at…): skipped. */
    Set<String> ignored();

    /** What the header lacks, one message per missing column, given the columns it has. */
    List<String> missing(Set<String> present);

    /** Checks one row and, when it is valid, makes its change on {@code h}, inside the import's transaction. */
    Result apply(Handle h, Row row, Run run);

    /** After the last row of an import that is kept, on the same handle. */
    default void finish(Handle h) {}

    /** What one row did: created, updated, unchanged, or nothing (invalid, with its problems). */
    enum Action { CREATED, UPDATED, UNCHANGED, INVALID }

    /** The outcome of a row. */
    record Result(Action action, List<Problem> problems) {
        public static final Result CREATED = new Result(Action.CREATED, List.of());
        public static final Result UPDATED = new Result(Action.UPDATED, List.of());
        public static final Result UNCHANGED = new Result(Action.UNCHANGED, List.of());

        public static Result invalid(List<Problem> problems) {
            return new Result(Action.INVALID, List.copyOf(problems));
        }
    }
}
