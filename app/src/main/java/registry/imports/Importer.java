package registry.imports;

import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import registry.db.Database;
import registry.history.Actor;
import registry.record.Forms;

/**
 * Reads a CSV file into one target, all or nothing: the whole file in one write transaction (on
 * SQLite, one change of the writer), every row checked and applied in turn, and the transaction
 * rolled back when any row is invalid, the file cannot be read to its end, or the run is a dry run.
 * Rows are applied in file order, so that each is checked against the database as the rows
 * before it left it; they are parsed and their forms checked a few hundred rows ahead on a thread
 * of their own ({@link ReadAhead}), and memory holds those, whatever the size of the file.
 *
 * <p>The file is read inside the transaction, so callers hand over a file already received whole
 * (spooled to disk or stored), never a network stream that a slow client would drip into it.
 */
public final class Importer {
    /** How many problems a report lists; the count covers them all. */
    public static final int SHOWN_PROBLEMS = 100;
    /** How often, in rows, the listener hears of progress. */
    private static final int PROGRESS_EVERY = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Hears of an import as it goes: progress, and each invalid row as it was in the file. */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void progress(long rows, long bytes) {}

        /** The header as the file has it, before the first rejected row. */
        default void header(List<String> columns) {}

        default void rejected(List<String> cells, String error) {}
    }

    private final Database database;
    private final Map<String, Target> targets;

    public Importer(Database database, List<Target> targets) {
        this.database = database;
        this.targets = new java.util.LinkedHashMap<>();
        targets.forEach(target -> this.targets.put(target.kind(), target));
    }

    /** Every target, in the order given. */
    public List<Target> targets() {
        return targets.values().stream().toList();
    }

    /** The target of {@code kind}: "users", "people", "movies", "credits". */
    public Optional<Target> target(String kind) {
        return Optional.ofNullable(targets.get(kind));
    }

    /** A new import's id: 256 random bits, as URL-safe text. */
    public static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Imports {@code in} into {@code target} in one transaction; with {@code dryRun}, only checks it. */
    public Report run(Target target, InputStream in, Actor actor, boolean dryRun, Listener listener) {
        String id = newId();
        try {
            return database.write(h -> runOn(h, target, in, new Run(id, actor), dryRun, listener));
        } catch (Rollback rollback) {
            return rollback.report;
        }
    }

    /**
     * Imports on a transaction already open (one that also marks a stored upload applied, say):
     * returns the report when the import is kept, throws {@link Rollback} (carrying it) otherwise,
     * which the transaction must let through so that it is rolled back.
     */
    public Report runOn(Handle h, Target target, InputStream in, Run run, boolean dryRun, Listener listener) {
        Tally tally = new Tally();
        run.on(h);
        Target.Pass<?> pass = null;
        try (CsvInput csv = new CsvInput(in)) {
            CsvRecord first = csv.next();
            if (first == null) {
                throw new ImportFailure(1, "The file is empty: its first line must name the columns, as the export writes them");
            }
            List<String> header = header(first, target);
            listener.header(header);
            pass = target.begin(h, run);
            Report report = applyAll(csv, header, pass, tally, listener);
            if (!report.ok() || dryRun) {
                throw new Rollback(report);
            }
            pass.finish();
            run.clear();
            return report.kept(run.id());
        } catch (ImportFailure failure) {
            tally.problem(new Problem(failure.line(), null, failure.getMessage()));
            throw new Rollback(tally.report());
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        } finally {
            if (pass != null) {
                pass.close();
            }
            run.close();
        }
    }

    /** Every row after the header, in file order, read and prepared ahead ({@link ReadAhead}) and applied here. */
    private static <P> Report applyAll(CsvInput csv, List<String> header, Target.Pass<P> pass, Tally tally, Listener listener)
            throws SQLException {
        try (ReadAhead<P> rows = new ReadAhead<>(csv, header, pass)) {
            ReadAhead.Item<P> item;
            while ((item = rows.next()) != null) {
                CsvRecord record = item.record();
                Target.Result result = item.row() != null
                        ? pass.apply(item.row(), item.prepared())
                        : Target.Result.invalid(List.of(new Problem(record.getStartingLineNumber(), null,
                                "The row has " + cells(record.getFieldCount()) + "; the header names " + header.size())));
                tally.add(result);
                if (result.action() == Target.Action.INVALID) {
                    listener.rejected(record.getFields(), result.problems().stream()
                            .map(p -> (p.field() == null ? "" : p.field() + ": ") + p.message()).collect(Collectors.joining("; ")));
                }
                if (tally.rows % PROGRESS_EVERY == 0) {
                    listener.progress(tally.rows, rows.bytesRead());
                }
            }
            if (tally.rows % PROGRESS_EVERY != 0) {
                listener.progress(tally.rows, rows.bytesRead());
            }
        }
        if (tally.rows == 0) {
            throw new ImportFailure(2, "The file has a header but no rows to import");
        }
        return tally.report();
    }

    /** The header's columns, checked: each known to the target, none twice, none of the required missing. */
    private static List<String> header(CsvRecord first, Target target) {
        List<String> columns = new ArrayList<>();
        for (String raw : first.getFields()) {
            String name = Forms.clean(raw.replace("\uFEFF", ""));
            columns.add(name);
        }
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i);
            if (name.isEmpty()) {
                problems.add("Column " + (i + 1) + " has no name in the header");
            } else if (!seen.add(name)) {
                problems.add("Column \"" + name + "\" is named twice in the header");
            } else if (!target.columns().contains(name) && !target.ignored().contains(name)) {
                unknown.add(name);
            }
        }
        unknown.forEach(name -> problems.add("Unknown column \"" + name + "\": " + target.kind() + " have the columns "
                + String.join(", ", target.columns())));
        problems.addAll(target.missing(seen));
        if (!problems.isEmpty()) {
            throw new ImportFailure(1, String.join("; ", problems));
        }
        return columns;
    }

    private static String cells(int n) {
        return n + (n == 1 ? " cell" : " cells");
    }

    /** Counts as the rows go by, and the first problems. */
    private static final class Tally {
        long rows;
        long created;
        long updated;
        long unchanged;
        long invalid;
        long problems;
        final List<Problem> shown = new ArrayList<>();

        void add(Target.Result result) {
            rows++;
            switch (result.action()) {
                case CREATED -> created++;
                case UPDATED -> updated++;
                case UNCHANGED -> unchanged++;
                case INVALID -> {
                    invalid++;
                    result.problems().forEach(this::problem);
                }
            }
        }

        void problem(Problem problem) {
            problems++;
            if (shown.size() < SHOWN_PROBLEMS) {
                shown.add(problem);
            }
        }

        Report report() {
            return new Report(created, updated, unchanged, invalid, List.copyOf(shown), problems);
        }
    }

    /** Undoes an import that is not to be kept, carrying what it found. */
    public static final class Rollback extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Report report;

        Rollback(Report report) {
            super("import rolled back", null, false, false);
            this.report = report;
        }

        public Report report() {
            return report;
        }
    }
}
