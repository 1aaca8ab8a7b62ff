package registry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import registry.App;
import registry.Server;
import registry.config.Config;
import registry.db.Database;
import registry.history.Actor;
import registry.imports.Importer;
import registry.imports.Problem;
import registry.imports.Report;
import registry.imports.Target;
import registry.schema.Migrations;

/**
 * {@code import KIND FILE [--dry-run]}: a CSV file into the database, all or nothing, as the import
 * page and API do (SPEC "Import"). Progress goes to standard error; the problems and the outcome
 * to standard output. Exit 0 imported (or, with --dry-run, importable), 1 invalid rows (nothing
 * written), 2 a usage error.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import a CSV file of users, people, movies or credits.",
        footer = {"", "The file has the columns the export writes (GET /KIND.csv), named in its",
            "first line. Every row is checked as a form checks it; one invalid row and",
            "nothing is written. The history names the actor 'cli', via 'import'."})
final class ImportCommand implements Callable<Integer> {
    /** At most one progress line a second. */
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "users, people, movies or credits")
    String kind;

    @Parameters(index = "1", paramLabel = "FILE", description = "the CSV file (UTF-8)")
    Path file;

    @Option(names = "--dry-run", description = "check the file and say what it would change; change nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Config config = configOptions.load(new HashMap<>());
        long size = size(file);
        try (Database database = Database.open(config)) {
            Server.migrateOrRefuse(config, new Migrations(database));
            Importer importer = App.importer(database);
            Target target = importer.target(kind).orElseThrow(() -> new CommandException(
                    "cannot import '" + kind + "': the kinds are users, people, movies and credits"));
            Report report;
            long start = System.nanoTime();
            try (InputStream in = Files.newInputStream(file)) {
                report = importer.run(target, in, new Actor(Actor.CLI.name(), "import"), dryRun, new Progress(err, size));
            } catch (IOException e) {
                throw new CommandException("cannot read " + file + ": " + e.getMessage());
            }
            for (Problem problem : report.errors()) {
                out.println(problem);
            }
            if (report.moreProblems() > 0) {
                out.println("… and " + report.moreProblems() + " more problems");
            }
            if (!report.ok()) {
                out.println(report.unreadable() ? "The file cannot be read as it is; nothing was imported."
                        : report.invalid() + " invalid row" + (report.invalid() == 1 ? "" : "s") + "; nothing was imported.");
                return 1;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String rate = report.rows() < 1000 ? "" : String.format(" (%,.0f rows a second)", report.rows() / Math.max(seconds, 1e-3));
            out.printf("%s in %.1f s%s%s%n", report.summary(dryRun ? "Would import" : "Imported"), seconds, rate,
                    dryRun ? "; a dry run: nothing was changed." : ".");
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new CommandException(file + " is a directory, not a CSV file");
            }
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CommandException("no such file: " + file);
        } catch (IOException e) {
            throw new CommandException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** "import: 40,000 rows, 12.1 of 64.0 MB", at most once a second. */
    private static final class Progress implements Importer.Listener {
        private final PrintWriter err;
        private final long size;
        private long last = System.nanoTime();

        Progress(PrintWriter err, long size) {
            this.err = err;
            this.size = size;
        }

        @Override
        public void progress(long rows, long bytes) {
            long now = System.nanoTime();
            if (now - last >= PROGRESS_NANOS || bytes == size) {
                last = now;
                err.printf("import: %,d rows, %.1f of %.1f MB read%n", rows, bytes / 1e6, size / 1e6);
                err.flush();
            }
        }
    }
}
