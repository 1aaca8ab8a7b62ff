package registry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import registry.config.Config;
import registry.config.DatabaseUrl;
import registry.ops.AtRisk;
import registry.ops.Backup;
import registry.ops.Copy;
import registry.db.Database;
import registry.db.Engine;
import registry.db.SqliteFiles;
import registry.schema.Migrations;
import registry.schema.Migrations.Applied;
import registry.schema.Migrations.ChangeSetId;
import registry.schema.NewChangeset;

/** {@code db …}: the schema's life from the command line, on the same configuration as {@code serve}. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Manage the database schema.",
        subcommands = {DbCommand.Upgrade.class, DbCommand.Downgrade.class, DbCommand.History.class, DbCommand.Current.class,
            DbCommand.Check.class, DbCommand.Sql.class, DbCommand.Tag.class, DbCommand.New.class, DbCommand.Unlock.class,
            DbCommand.BackupCommand.class, DbCommand.RestoreCommand.class, DbCommand.CopyCommand.class})
final class DbCommand {

    /** A command on the configured database; {@link #run} returns the exit code. */
    abstract static class OnDatabase implements Callable<Integer> {
        @Mixin
        ConfigOptions configOptions;

        @Spec
        CommandSpec spec;

        Config config;

        @Override
        public Integer call() {
            config = configOptions.load(new HashMap<>());
            try (Database database = Database.open(config)) {
                return run(database, new Migrations(database), spec.commandLine().getOut());
            }
        }

        abstract int run(Database database, Migrations migrations, PrintWriter out);

        /** Says who holds the migration lock, if anyone, before a command waits for it. */
        void warnIfLocked(Migrations migrations) {
            migrations.lock().ifPresent(lock -> spec.commandLine().getErr().println("Waiting for the migration lock, held by "
                    + lock.lockedBy() + " since " + lock.since() + "; " + Migrations.UNLOCK_HINT));
        }

        /** The applied changesets, oldest first, after saying who holds the lock; says so when there are none. */
        List<Applied> applied(Migrations migrations, PrintWriter out) {
            reportLock(migrations);
            List<Applied> history = migrations.history();
            if (history.isEmpty()) {
                out.println("No changeset is applied.");
            }
            return history;
        }

        /** Says who holds the migration lock, if anyone: a process killed while migrating leaves it behind. */
        void reportLock(Migrations migrations) {
            migrations.lock().ifPresent(lock -> spec.commandLine().getErr().println("The migration lock is held by "
                    + lock.lockedBy() + " since " + lock.since() + "; " + Migrations.UNLOCK_HINT));
        }
    }

    /** A command that changes the schema, after an online backup of a SQLite file (a server's backups are its own business). */
    abstract static class Changing extends OnDatabase {
        @Option(names = "--no-backup", description = "do not back up a SQLite database first")
        boolean noBackup;

        /** Takes the automatic backup of a SQLite file, then removes those beyond {@code database.keep-backups}; returns the new one. */
        Optional<Path> backUp(Database database, Migrations migrations, PrintWriter out) {
            if (noBackup || migrations.history().isEmpty()) {
                return Optional.empty(); // nothing applied yet: nothing to lose
            }
            Optional<Path> file = SqliteFiles.of(config.databaseUrl());
            if (file.isPresent()) {
                Path backup = Backup.take(database, file.get());
                out.println("Backup: " + backup);
                removeOldBackups(file.get(), config.keepBackups(), out);
                return Optional.of(backup);
            }
            String tool = database.engine() == Engine.POSTGRESQL ? "pg_dump" : "mariadb-dump";
            out.println("No backup taken of a " + database.engine() + " database: keep your own (" + tool + ", say).");
            return Optional.empty();
        }
    }

    /** Keeps the newest {@code keep} automatic backups beside {@code database}, saying which went. */
    static void removeOldBackups(Path database, int keep, PrintWriter out) {
        List<Path> removed = Backup.prune(database, keep);
        if (!removed.isEmpty()) {
            out.println("Removed " + removed.size() + " old backup(s), keeping the newest " + keep + " (database.keep-backups): "
                    + String.join(", ", removed.stream().map(p -> p.getFileName().toString()).toList()));
        }
    }

    private static void list(PrintWriter out, String heading, List<ChangeSetId> changeSets) {
        out.println(heading + " " + changeSets.size() + " changeset(s):");
        changeSets.forEach(c -> out.println("  " + c));
    }

    @Command(name = "upgrade", mixinStandardHelpOptions = true, description = "Apply pending changesets (all, or up to a tag).")
    static final class Upgrade extends Changing {
        @Option(names = "--to", paramLabel = "TAG", description = "stop after the changeset that sets this tag")
        String tag;

        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            // Before the backup: an unknown tag, or nothing to apply, changes nothing and needs none.
            if (migrations.toApply(Optional.ofNullable(tag)).isEmpty()) {
                out.println(tag == null ? "Already current." : "Nothing to apply: the changeset that sets " + tag + " is applied already.");
                return 0;
            }
            backUp(database, migrations, out);
            warnIfLocked(migrations);
            List<ChangeSetId> applied = tag == null ? migrations.upgrade() : migrations.upgradeTo(tag);
            list(out, "Applied", applied);
            return 0;
        }
    }

    @Command(name = "downgrade", mixinStandardHelpOptions = true,
            description = "Roll back the last COUNT changesets (default 1), or all those after a tag.")
    static final class Downgrade extends Changing {
        @Parameters(arity = "0..1", paramLabel = "COUNT", description = "how many changesets to roll back (default 1)")
        Integer count;

        @Option(names = "--to", paramLabel = "TAG", description = "roll back every changeset applied after this tag")
        String tag;

        @Option(names = {"--yes", "--force"}, description = "go ahead even when tables holding rows would be dropped or emptied")
        boolean yes;

        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            if (count != null && tag != null) {
                throw new CommandException("give a COUNT or --to TAG, not both");
            }
            if (count != null && count < 1) {
                throw new CommandException("COUNT must be 1 or more, got " + count);
            }
            if (migrations.history().isEmpty()) {
                out.println("Nothing to roll back: no changeset is applied.");
                return 0;
            }
            // Before the backup: an unknown tag, or nothing to roll back, changes nothing and needs none.
            int undoing = tag == null ? Math.min(count == null ? 1 : count, migrations.history().size()) : migrations.toRollBack(tag);
            if (undoing == 0) {
                out.println("Nothing to roll back: no changeset is applied after " + tag + ".");
                return 0;
            }
            Map<String, Long> losing = AtRisk.rows(database, migrations.rollbackSql(undoing));
            if (!losing.isEmpty() && !yes) {
                throw new CommandException("rolling back " + undoing + " changeset(s) would drop or empty tables holding rows: "
                        + AtRisk.describe(losing) + "; nothing was changed; give --yes to go ahead");
            }
            Optional<Path> backup = backUp(database, migrations, out);
            warnIfLocked(migrations);
            List<ChangeSetId> undone = tag == null ? migrations.downgrade(undoing) : migrations.downgradeTo(tag);
            list(out, "Rolled back", undone);
            if (!losing.isEmpty()) {
                out.println("Dropped or emptied: " + AtRisk.describe(losing) + "." + backup.map(file -> " Their rows are in " + file
                        + "; to bring them back, stop Registry and run: java -jar registry.jar db restore " + file).orElse(""));
            }
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "List applied changesets, oldest first.")
    static final class History extends OnDatabase {
        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            for (Applied row : applied(migrations, out)) {
                out.printf("%-23s  %s%s%n", row.executedAt(), row.changeSet(),
                        row.tags().isEmpty() ? "" : "  [tag " + String.join(", ", row.tags()) + "]");
            }
            return 0;
        }
    }

    @Command(name = "current", mixinStandardHelpOptions = true, description = "Show the last applied changeset and tag.")
    static final class Current extends OnDatabase {
        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            List<Applied> history = applied(migrations, out);
            if (history.isEmpty()) {
                return 0;
            }
            out.println("Changeset: " + history.get(history.size() - 1).changeSet());
            Optional<String> tag = history.stream().flatMap(row -> row.tags().stream()).reduce((a, b) -> b);
            out.println("Tag: " + tag.orElse("(none)"));
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Exit 0 when the schema is current, 1 (listing them) when changesets are pending.",
                "Warns when ./migrations/ holds changeset files this jar does not (rebuild it)."})
    static final class Check extends OnDatabase {
        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            reportLock(migrations);
            unbuilt(Migrations.notInJar(Path.of("migrations"))).ifPresent(spec.commandLine().getErr()::println);
            List<ChangeSetId> pending = migrations.pending();
            if (pending.isEmpty()) {
                out.println("Schema is current.");
                return 0;
            }
            list(out, "Pending:", pending);
            return 1;
        }

        /** Pending tells only of the changesets the jar carries: a file written since it was built is not among them. */
        static Optional<String> unbuilt(List<String> notInJar) {
            return notInJar.isEmpty() ? Optional.empty() : Optional.of("migrations/ holds changesets this jar does not: "
                    + String.join(", ", notInJar) + "; rebuild the jar (mvn -B -q package -DskipTests)");
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true, description = "Print the SQL that 'db upgrade' would run; changes nothing.")
    static final class Sql extends OnDatabase {
        @Option(names = "--to", paramLabel = "TAG", description = "only up to the changeset that sets this tag")
        String tag;

        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            migrations.toApply(Optional.ofNullable(tag)); // refuses an unknown tag, as upgrade does
            ByteArrayOutputStream sql = new ByteArrayOutputStream();
            migrations.writeSql(sql, Optional.ofNullable(tag));
            out.print(sql.toString(StandardCharsets.UTF_8));
            out.flush();
            return 0;
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Tag the current state for a later 'db downgrade --to NAME'.")
    static final class Tag extends OnDatabase {
        @Parameters(paramLabel = "NAME", description = "the tag")
        String name;

        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            migrations.tag(name);
            List<Applied> history = migrations.history();
            out.println("Tagged " + history.get(history.size() - 1).changeSet() + " as " + name + ".");
            return 0;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true, description = "Release a migration lock left by a killed process.")
    static final class Unlock extends OnDatabase {
        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            Optional<Migrations.Lock> released = migrations.unlock();
            out.println(released.map(lock -> "Released the lock held by " + lock.lockedBy() + " since " + lock.since() + ".")
                    .orElse("No lock is held."));
            return 0;
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a consistent copy of the database into a new SQLite file.",
                "Safe while Registry serves. A SQLite database is copied page by page; a PostgreSQL or MariaDB one record by record."})
    static final class BackupCommand extends OnDatabase {
        @Parameters(paramLabel = "FILE", description = "the new backup file")
        Path file;

        @Override
        int run(Database database, Migrations migrations, PrintWriter out) {
            Backup.to(database, file, out);
            out.println("Backed up to " + file.toAbsolutePath() + ".");
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put a backup file in place of the SQLite database.",
                "Refused while Registry (or anything) has the database open. The backup is checked first, and the database "
                    + "as it was is kept beside it (unless --no-backup)."})
    static final class RestoreCommand implements Callable<Integer> {
        @Mixin
        ConfigOptions configOptions;

        @Parameters(paramLabel = "FILE", description = "a file written by db backup (or an automatic .bak)")
        Path file;

        @Option(names = "--no-backup", description = "do not keep the database as it was")
        boolean noBackup;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Config config = configOptions.load(new HashMap<>());
            Path live = SqliteFiles.of(config.databaseUrl()).orElseThrow(() -> new CommandException(
                    "db restore puts a file back in place of a SQLite database; for " + Engine.of(config.databaseUrl())
                    + ", copy a backup into an empty database: db copy --from jdbc:sqlite:FILE --to URL"));
            List<ChangeSetId> known;
            // The changelog as SQLite reads it, without opening the database being replaced.
            try (Database scratch = Database.open(Config.defaults().withDatabaseUrl("jdbc:sqlite::memory:"))) {
                known = new Migrations(scratch).changelog();
            }
            Backup.Restored restored = Backup.restore(live, file, known, !noBackup);
            PrintWriter out = spec.commandLine().getOut();
            restored.previous().ifPresent(previous -> {
                out.println("Backup of the database as it was: " + previous);
                removeOldBackups(live, config.keepBackups(), out);
            });
            out.println("Restored " + live + " from " + file + "; its last changeset is " + restored.lastChangeSet()
                    + (restored.pending() == 0 ? "." : "; " + restored.pending() + " changeset(s) will be applied at the next start (or db upgrade)."));
            return 0;
        }
    }

    @Command(name = "copy", mixinStandardHelpOptions = true,
            description = {"Copy every record from one database into another, empty one.",
                "The move from a SQLite file to PostgreSQL or MariaDB: make the new database with db upgrade first. "
                    + "Ids, times and versions are kept; the row counts are checked at the end."})
    static final class CopyCommand implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "URL", description = "the database to copy from, such as jdbc:sqlite:registry.db")
        String from;

        @Option(names = "--to", required = true, paramLabel = "URL",
                description = "the database to copy into, made by db upgrade, such as jdbc:postgresql://db.example.org/registry?user=registry")
        String to;

        @Option(names = "--batch", defaultValue = "1000", paramLabel = "ROWS", description = "rows per transaction (default: ${DEFAULT-VALUE})")
        int batch;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (batch < 1 || batch > 100_000) {
                throw new CommandException("--batch: expected 1 to 100000 rows, got " + batch);
            }
            DatabaseUrl.requireStored("--from", from);
            DatabaseUrl.requireStored("--to", to);
            PrintWriter out = spec.commandLine().getOut();
            try (Database source = Database.open(Config.defaults().withDatabaseUrl(from));
                 Database target = Database.open(Config.defaults().withDatabaseUrl(to))) {
                Map<String, Long> counts = new Copy(source, target, batch, out).run();
                out.println("Copied and verified: " + counts.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", ")) + ".");
                return 0;
            }
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Write the next changeset file and include it in the changelog.",
                "The file goes under migrations/changes/ and migrations/changelog.xml includes it: a template",
                "with one changeSet per engine commented out, which changes nothing until written."})
    static final class New implements Callable<Integer> {
        @Parameters(paramLabel = "DESCRIPTION", description = "what the change does, such as \"add phone to users\"")
        String description;

        @Option(names = "--author", defaultValue = NewChangeset.AUTHOR, paramLabel = "NAME",
                description = "the changesets' author (default: ${DEFAULT-VALUE}, as on every changeset of the project)")
        String author;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                NewChangeset.Written written = NewChangeset.write(NewChangeset.checkout(Path.of("")), description, author);
                spec.commandLine().getOut().println("Wrote " + written.file() + " and included it in " + written.changelog()
                        + "; write its SQL per engine, then rebuild the jar (README, \"Schema\").");
                return 0;
            } catch (NewChangeset.Refused e) {
                throw new CommandException(e.getMessage());
            }
        }
    }
}
