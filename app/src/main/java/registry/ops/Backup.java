package registry.ops;

import registry.db.Database;
import registry.db.Engine;
import registry.db.Settings;
import registry.db.SqliteFiles;
import registry.schema.MigrationException;
import registry.schema.Migrations;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * Backups and restores. A backup is always a SQLite file: of a SQLite database through SQLite's
 * backup API (sqlite-jdbc's {@code backup to}), which copies a consistent snapshot even while the
 * app writes (a file copy of a live WAL database could miss committed pages); of a server, a
 * {@link Copy} of its records in one snapshot into a new file. A restore puts such a file back in
 * place of a SQLite database, only while no process has that database open. A backup carries
 * the records, the accounts and their API tokens, but no session and no signing key ({@link #scrub}).
 */
public final class Backup {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private Backup() {}

    /** Copies the database to {@code registry.db.YYYYMMDD-HHMMSS.bak} beside it and returns that path. */
    public static Path take(Database database, Path file) {
        Path target = freeName(file);
        backUp(database, target);
        return target;
    }

    /** A consistent copy of the database, while it serves, into the new SQLite file {@code target}. */
    public static void to(Database database, Path target, PrintWriter progress) {
        if (database.engine() == Engine.SQLITE) {
            backUp(database, target.toAbsolutePath());
            return;
        }
        createNew(target.toAbsolutePath());
        try (Database file = Database.open(registry.config.Config.defaults().withDatabaseUrl("jdbc:sqlite:" + target.toAbsolutePath()))) {
            new Migrations(file).upgrade();
            new Copy(database, file, 1000, progress).run(); // leaves the sign-in state behind
        }
        scrub(target.toAbsolutePath()); // and the signing key, which Copy carries
    }

    /** The backup API writes into {@code target} from a snapshot of the database. */
    private static void backUp(Database database, Path target) {
        if (target.toString().contains("\"")) {
            throw new MigrationException("cannot back up to a path with a double quote in it: " + target, null);
        }
        createNew(target);
        database.read(h -> {
            try (Statement statement = h.getConnection().createStatement()) {
                statement.executeUpdate("backup to \"" + target + "\"");
            } catch (SQLException e) {
                removeQuietly(target, e);
                throw new MigrationException("cannot back up to " + target + ": " + e.getMessage(), e);
            }
            return null;
        });
        scrub(target);
    }

    /**
     * Makes the new, empty backup file 0600 for SQLite to write into (see {@link SqliteFiles}: SQLite
     * would make it 0644); a file of that name already there is refused, never overwritten.
     */
    private static void createNew(Path file) {
        try {
            SqliteFiles.create(file);
        } catch (FileAlreadyExistsException e) {
            throw new MigrationException(file + " already exists; name a new file", null);
        } catch (IOException e) {
            throw new MigrationException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    private static void removeQuietly(Path file, Exception cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException removal) {
            cause.addSuppressed(removal);
        }
    }

    /**
     * Takes out of the new backup {@code file} what must not outlive the database it was taken of:
     * the live sign-in state ({@link Copy#SIGN_IN_STATE}: sessions, the throttle) and the generated
     * signing key, which signs cookies and CSRF tokens (a restored backup generates a new one at its
     * first start, so nothing signed before is believed). Accounts and API tokens stay. With
     * secure_delete the deleted rows are overwritten with zeros, so no session hash or key is left
     * in the file's free pages, and out of WAL mode they are in the file itself when the scrub ends.
     * A backup that cannot be cleaned is removed rather than kept.
     */
    private static void scrub(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            // A backup is one file to carry: out of WAL mode, the deletes below change the file
            // itself at their commit, not a log beside it. Leaving WAL mode needs the file to itself.
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = DELETE")) {
                if (!mode.next() || !mode.getString(1).equalsIgnoreCase("delete")) {
                    throw new SQLException("another connection has the file open");
                }
            }
            statement.execute("PRAGMA secure_delete = ON");
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            // An automatic backup may be of an older schema, before the accounts or even the settings.
            for (String table : Copy.SIGN_IN_STATE) {
                if (tables.contains(table)) {
                    statement.executeUpdate("DELETE FROM " + table);
                }
            }
            if (tables.contains("settings")) {
                try (PreparedStatement key = connection.prepareStatement("DELETE FROM settings WHERE name = ?")) {
                    key.setString(1, Settings.SECRET_KEY);
                    key.executeUpdate();
                }
            }
        } catch (SQLException e) {
            removeQuietly(file, e);
            throw new MigrationException("cannot take the sessions and the signing key out of the backup " + file
                    + ", so it was removed: " + e.getMessage(), e);
        }
    }

    /** What a restore did: the file it took, the safety copy of what was there, the schema it brought. */
    public record Restored(Path from, Optional<Path> previous, String lastChangeSet, int pending) {}

    /**
     * Puts the backup {@code backup} in place of the SQLite database {@code live}, after checking
     * that it is a sound Registry database whose changesets this jar knows (it may be older: the
     * next start applies what it lacks). Refused while any process has {@code live} open: an
     * exclusive lock on it is taken first and held until the backup is in. The database as it was
     * is first backed up beside itself unless {@code keepPrevious} is false.
     */
    public static Restored restore(Path live, Path backup, List<Migrations.ChangeSetId> known, boolean keepPrevious) {
        if (!Files.isRegularFile(backup)) {
            throw new MigrationException("no backup file at " + backup, null);
        }
        List<Path> sideFiles = sideFilesNotThere(backup);
        Restored restored;
        try {
            restored = restoreChecked(live, backup, known, keepPrevious);
        } catch (RuntimeException e) {
            // Why the restore failed is what the user must read, not a side file that stayed.
            try {
                removeSideFiles(sideFiles);
            } catch (MigrationException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        removeSideFiles(sideFiles);
        return restored;
    }

    /**
     * The {@code -wal} and {@code -shm} files of {@code backup} that do not exist yet. A backup of a
     * WAL database is itself marked WAL; reading it (the check, SQLite's restore) makes these two
     * files, and a read-only reader cannot remove them when it closes. Ours hold nothing once it has.
     */
    private static List<Path> sideFilesNotThere(Path backup) {
        return java.util.stream.Stream.of("-wal", "-shm").map(suffix -> backup.resolveSibling(backup.getFileName() + suffix))
                .filter(file -> !Files.exists(file)).toList();
    }

    private static void removeSideFiles(List<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new MigrationException("cannot remove " + file + " (left by reading the backup): " + e.getMessage(), e);
            }
        }
    }

    private static Restored restoreChecked(Path live, Path backup, List<Migrations.ChangeSetId> known, boolean keepPrevious) {
        List<Migrations.ChangeSetId> applied = checked(backup, known);
        String last = applied.get(applied.size() - 1).toString();
        int pending = known.size() - applied.size();
        if (backup.toString().contains("\"")) {
            throw new MigrationException("cannot restore from a path with a double quote in it: " + backup, null);
        }
        SqliteFiles.prepare(live.toAbsolutePath()); // 0600 if SQLite is about to make it
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + live.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 1000");
            statement.execute("PRAGMA locking_mode = EXCLUSIVE");
            try {
                // Kept after COMMIT in EXCLUSIVE locking mode; refused while another connection has the file open.
                statement.execute("BEGIN EXCLUSIVE");
                statement.execute("COMMIT");
            } catch (SQLException e) {
                throw new MigrationException("the database " + live + " is in use (is Registry running on it?); stop it, then restore", e);
            }
            Optional<Path> previous = Optional.empty();
            if (keepPrevious && Files.size(live) > 0) {
                Path copy = freeName(live.toAbsolutePath());
                createNew(copy);
                statement.executeUpdate("backup to \"" + copy + "\"");
                scrub(copy);
                previous = Optional.of(copy);
            }
            statement.executeUpdate("restore from \"" + backup.toAbsolutePath() + "\"");
            return new Restored(backup, previous, last, pending);
        } catch (SQLException | java.io.IOException e) {
            throw new MigrationException("cannot restore " + live + " from " + backup + ": " + e.getMessage(), e);
        }
    }

    /** The backup's applied changesets, once it is known to be a sound database of ours that this jar can upgrade. */
    private static List<Migrations.ChangeSetId> checked(Path backup, List<Migrations.ChangeSetId> known) {
        List<Migrations.ChangeSetId> applied = applied(backup);
        if (applied.isEmpty()) {
            throw new MigrationException(backup + " holds no applied changeset: not a Registry database", null);
        }
        for (Migrations.ChangeSetId changeSet : applied) {
            if (!known.contains(changeSet)) {
                throw new MigrationException(backup + " was made by a newer Registry (changeset " + changeSet
                        + " is unknown to this one); restore it with that version", null);
            }
        }
        return applied;
    }

    /** Read-only, and checked for corruption before anything else is believed. */
    private static List<Migrations.ChangeSetId> applied(Path backup) {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection connection = readOnly.createConnection("jdbc:sqlite:" + backup.toAbsolutePath());
             Statement statement = connection.createStatement()) {
            try (ResultSet check = statement.executeQuery("PRAGMA quick_check")) {
                String result = check.next() ? check.getString(1) : "no answer";
                if (!"ok".equals(result)) {
                    throw new MigrationException(backup + " is damaged (quick_check: " + result + ")", null);
                }
            }
            List<Migrations.ChangeSetId> applied = new java.util.ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT FILENAME, ID, AUTHOR FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED")) {
                while (rows.next()) {
                    applied.add(new Migrations.ChangeSetId(rows.getString(1), rows.getString(2), rows.getString(3)));
                }
            }
            return applied;
        } catch (SQLException e) {
            throw new MigrationException(backup + " is not a Registry database (" + e.getMessage().replaceAll("\\s+", " ") + ")", e);
        }
    }

    /**
     * Removes Registry's own automatic backups of {@code file} beside it ({@code NAME.YYYYMMDD-HHMMSS.bak},
     * {@code NAME.YYYYMMDD-HHMMSS-N.bak} when two came in one second) but the newest {@code keep};
     * returns those removed, oldest first. Any other file is left alone.
     */
    public static List<Path> prune(Path file, int keep) {
        Pattern automatic = Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.(\\d{8}-\\d{6})(?:-(\\d+))?\\.bak");
        List<Path> backups;
        try (Stream<Path> beside = Files.list(file.toAbsolutePath().getParent())) {
            // By time, then by the number freeName gave a second backup within the same second.
            backups = beside.filter(p -> automatic.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
                    .sorted(Comparator.comparing((Path p) -> stamp(automatic, p)).thenComparingInt(p -> sequence(automatic, p)))
                    .toList();
        } catch (IOException e) {
            throw new MigrationException("cannot list the backups beside " + file + ": " + e.getMessage(), e);
        }
        List<Path> removed = new ArrayList<>();
        for (Path old : backups.subList(0, Math.max(0, backups.size() - keep))) {
            try {
                Files.delete(old);
                removed.add(old);
            } catch (IOException e) {
                throw new MigrationException("cannot remove the old backup " + old + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    private static String stamp(Pattern automatic, Path backup) {
        Matcher m = automatic.matcher(backup.getFileName().toString());
        return m.matches() ? m.group(1) : "";
    }

    private static int sequence(Pattern automatic, Path backup) {
        Matcher m = automatic.matcher(backup.getFileName().toString());
        return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 1;
    }

    private static Path freeName(Path file) {
        String base = file.getFileName() + "." + LocalDateTime.now().format(STAMP);
        Path target = file.resolveSibling(base + ".bak");
        for (int n = 2; Files.exists(target); n++) {
            target = file.resolveSibling(base + "-" + n + ".bak");
        }
        return target;
    }
}
