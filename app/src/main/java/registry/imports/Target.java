package registry.imports;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * What an import brings in: one kind of record, or credits. The import reads the file and keeps
 * the tally; a target knows its columns and, through a {@link Pass}, checks and applies one row at
 * a time by the same rules as its form (SPEC "Import").
 */
public interface Target {
    /** The kind as URLs and the history name it: "movies", "credits". */
    String kind();

    /** Every column it takes, in the order the export writes them. */
    Set<String> columns();

    /** Columns the export writes that are not fields (created_at…): skipped. */
    Set<String> ignored();

    /** What the header lacks, one message per missing column, given the columns it has. */
    List<String> missing(Set<String> present);

    /** Starts applying rows on {@code h}, inside the import's transaction. */
    Pass<?> begin(Handle h, Run run) throws SQLException;

    /**
     * One import's rows into the target, in file order; it holds the statements it prepared until
     * closed. {@code P} is what a row's checks give that needs no database (a form, validated).
     */
    interface Pass<P> extends AutoCloseable {
        /**
         * What of {@code row}'s work needs no database: run on the thread that reads the file, ahead
         * of {@link #apply}, and on several rows at once with it. Null when there is nothing to do ahead.
         */
        default P prepare(Row row) {
            return null;
        }

        /** Checks one row and, when it is valid, makes its change; {@code prepared} is what {@link #prepare} gave for it. */
        Result apply(Row row, P prepared) throws SQLException;

        /** After the last row of an import that is kept. */
        default void finish() throws SQLException {}

        @Override
        void close();
    }

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
