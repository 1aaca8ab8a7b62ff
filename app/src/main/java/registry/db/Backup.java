package registry.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * An online backup of a SQLite database, taken before the schema changes. It goes through SQLite's
 * backup API (sqlite-jdbc's {@code backup to}), which copies a consistent snapshot even while the
 * database is in use; a file copy of a live WAL database could miss committed pages.
 */
public final class Backup {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private Backup() {}

    /** The database file a SQLite URL names; empty for an in-memory database or another engine. */
    public static Optional<Path> sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String name = url.substring("jdbc:sqlite:".length());
        int query = name.indexOf('?');
        if (query >= 0) {
            name = name.substring(0, query);
        }
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        }
        if (name.isEmpty() || name.equals(":memory:") || name.startsWith(":resource:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(name).toAbsolutePath());
    }

    /** Copies the database to {@code registry.db.YYYYMMDD-HHMMSS.bak} beside it and returns that path. */
    public static Path take(Database database, Path file) {
        Path target = freeName(file);
        if (target.toString().contains("\"")) {
            throw new MigrationException("cannot back up to a path with a double quote in it: " + target, null);
        }
        database.read(h -> {
            try (Statement statement = h.getConnection().createStatement()) {
                statement.executeUpdate("backup to \"" + target + "\"");
            } catch (SQLException e) {
                throw new MigrationException("cannot back up to " + target + ": " + e.getMessage(), e);
            }
            return null;
        });
        return target;
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
