package registry.imports;

import java.util.List;

/**
 * What an import did, or would do: rows created, updated and unchanged, how many rows are invalid,
 * and the first {@link Importer#SHOWN_PROBLEMS} problems in file order. Nothing was changed unless
 * {@link #ok()} and the import was not a dry run.
 */
public record Report(long created, long updated, long unchanged, long invalid, List<Problem> errors, long problems, String importId) {
    /** A report of what was checked and not kept: no import id. */
    public Report(long created, long updated, long unchanged, long invalid, List<Problem> errors, long problems) {
        this(created, updated, unchanged, invalid, errors, problems, null);
    }

    /** The report of an import that was kept, as the import {@code id} (which its history entries carry). */
    Report kept(String id) {
        return new Report(created, updated, unchanged, invalid, errors, problems, id);
    }

    /** Whether every row is valid and the file could be read whole. */
    public boolean ok() {
        return problems == 0;
    }

    /** Whether the file could not be read to its end (not UTF-8, a bad header, a quote never closed): no row is counted invalid then. */
    public boolean unreadable() {
        return !ok() && invalid == 0;
    }

    /** Rows read. */
    public long rows() {
        return created + updated + unchanged + invalid;
    }

    /** Problems not among {@link #errors}. */
    public long moreProblems() {
        return problems - errors.size();
    }

    /** "Imported 3 rows: 2 created, 1 updated, 0 unchanged", the flash and the command line's last line. */
    public String summary(String verb) {
        long done = created + updated + unchanged;
        return verb + " " + done + " row" + (done == 1 ? "" : "s") + ": " + created + " created, " + updated + " updated, "
                + unchanged + " unchanged";
    }
}
