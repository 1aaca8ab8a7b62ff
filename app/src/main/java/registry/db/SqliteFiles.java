package registry.db;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a SQLite database and of every backup Registry writes, readable and writable by
 * their owner only (SPEC "Pages": 0600), whatever the umask: they hold every record, the password
 * hashes and the signing key.
 *
 * <p>Each is created with that mode before SQLite opens it, never narrowed after: an exclusive
 * create with mode 0600 means the file never exists with a wider one (a chmod after SQLite made
 * it would leave a moment in which another user could open it, and a file opened then stays
 * readable through that descriptor). SQLite's unix VFS creates the {@code -wal}, {@code -shm}
 * and {@code -journal} files with the permissions of their database file, and sets exactly those
 * whatever the umask, so they are 0600 from birth too. SQLite left to itself would create the
 * database 0644, and force it so even against a stricter umask.
 */
public final class SqliteFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteFiles.class);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_BITS = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private SqliteFiles() {}

    /** The database file a SQLite URL names; empty for an in-memory database or another engine. */
    public static Optional<Path> of(String url) {
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

    /**
     * Creates the new, empty file {@code file}, 0600 (a new SQLite database to SQLite); fails when
     * it exists already. Where the file system has no POSIX permissions, simply creates it.
     *
     * @throws FileAlreadyExistsException when {@code file} exists
     */
    public static void create(Path file) throws IOException {
        if (!posix(file)) {
            Files.createFile(file);
            return;
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        // The umask can take bits away from the mode a file is created with, never add one: say it exactly.
        Files.setPosixFilePermissions(file, OWNER_ONLY);
    }

    /**
     * Before SQLite opens the database of {@code url}: creates the file 0600 when it does not exist
     * yet, and narrows to the owner an existing database (or {@code -wal}, {@code -shm}) that others
     * may read, as an earlier version made them, saying so. Where this cannot be done, SQLite's own
     * open says why, or the database is opened as it is.
     */
    static void prepare(String url) {
        // A read-only URL must not make a file: SQLite refuses to open a missing one, rightly.
        of(url).ifPresent(database -> prepare(database, !url.contains("mode=ro")));
    }

    /** As {@link #prepare(String)}, for the database file {@code database} (to be restored into, say). */
    public static void prepare(Path database) {
        prepare(database, true);
    }

    private static void prepare(Path database, boolean mayCreate) {
        if (!posix(database)) {
            return;
        }
        if (mayCreate && Files.notExists(database) && Files.isDirectory(database.getParent())) {
            try {
                create(database);
            } catch (FileAlreadyExistsException e) {
                // made by another process a moment ago; narrowed below if it must be
            } catch (IOException e) {
                return; // SQLite's open will fail for the same reason, and say it
            }
        }
        for (Path file : List.of(database, sibling(database, "-wal"), sibling(database, "-shm"))) {
            narrow(file);
        }
    }

    private static void narrow(Path file) {
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
            owner.addAll(now);
            owner.retainAll(OWNER_BITS);
            if (!owner.equals(now)) {
                Files.setPosixFilePermissions(file, owner);
                LOG.warn("{} could be read by others ({}); it is now its owner's only ({})", file,
                        PosixFilePermissions.toString(now), PosixFilePermissions.toString(owner));
            }
        } catch (NoSuchFileException e) {
            // no -wal or -shm while no connection is open: SQLite will make them 0600
        } catch (IOException e) {
            LOG.warn("{} can be read by others and its permissions cannot be narrowed ({}); chmod 600 it", file, e.getMessage());
        }
    }

    private static Path sibling(Path database, String suffix) {
        return database.resolveSibling(database.getFileName() + suffix);
    }

    private static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
