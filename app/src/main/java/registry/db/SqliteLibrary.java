package registry.db;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite driver's native library, kept in the user's cache directory from one start to the
 * next. Left to itself, the driver copies the library (1.1 MB) out of the jar into the temporary
 * directory at every start, after working out which of its libraries this system needs by forking
 * {@code uname -o} and listing the process's mapped files: about 0.15 s of a first start on a
 * two-core machine (0.22 against 0.07 s to load, measured alone).
 *
 * <p>Only where the choice is plain: Linux with glibc on x86_64 or aarch64. Anywhere else, when the
 * user set {@code org.sqlite.lib.path}, or when the cache cannot be written, the driver finds its
 * library as it always does. The copy is named by the CRC-32 that the jar records for the library
 * and checked against it at every start, so a changed driver gets a copy of its own (and the old
 * one is removed) and a damaged or half-written copy is replaced, never loaded.
 */
final class SqliteLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteLibrary.class);
    /** Java's name for the architecture, and the driver's folder for it. */
    private static final Map<String, String> ARCHES = Map.of("amd64", "x86_64", "x86_64", "x86_64", "aarch64", "aarch64");

    private SqliteLibrary() {}

    /** Points the driver at the kept copy, made now if need be; does nothing where that does not apply. Before the driver loads. */
    static void useCached() {
        if (System.getProperty("org.sqlite.lib.path") != null || !"Linux".equals(System.getProperty("os.name"))
                || System.getProperty("java.runtime.name", "").toLowerCase(Locale.ROOT).contains("android")) {
            return;
        }
        String arch = ARCHES.get(System.getProperty("os.arch"));
        if (arch == null || Files.exists(Path.of("/lib/ld-musl-" + arch + ".so.1"))) {
            return;
        }
        Optional<Path> library;
        try {
            Optional<Path> dir = cacheDirectory();
            library = dir.isEmpty() ? Optional.empty() : kept(dir.get(), "org/sqlite/native/Linux/" + arch + "/libsqlitejdbc.so");
        } catch (IOException | RuntimeException e) {
            // What saves a start must never stop one (an odd XDG_CACHE_HOME, a full or read-only home).
            LOG.debug("the SQLite library is copied out of the jar this time: {}", e.toString());
            return;
        }
        library.ifPresent(kept -> {
            System.setProperty("org.sqlite.lib.path", kept.getParent().toString());
            System.setProperty("org.sqlite.lib.name", kept.getFileName().toString());
        });
    }

    /** {@code $XDG_CACHE_HOME/registry}, else {@code ~/.cache/registry}. */
    private static Optional<Path> cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "registry"));
        }
        String home = System.getProperty("user.home");
        return home == null || home.isEmpty() || home.equals("?") ? Optional.empty() : Optional.of(Path.of(home, ".cache", "registry"));
    }

    /**
     * The copy in {@code dir} of the library at {@code resource}, as the jar holds it; written when
     * missing or not the same. Empty when the resource is not in a jar (nothing to check it by).
     */
    static Optional<Path> kept(Path dir, String resource) throws IOException {
        URL url = SqliteLibrary.class.getClassLoader().getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return Optional.empty();
        }
        JarEntry entry = jar.getJarEntry();
        long crc = entry.getCrc();
        if (crc < 0 || entry.getSize() < 0) {
            return Optional.empty();
        }
        Path library = dir.resolve("libsqlitejdbc-" + Long.toHexString(crc) + ".so");
        if (Files.isRegularFile(library) && Files.size(library) == entry.getSize() && crc(library) == crc) {
            return Optional.of(library);
        }
        createPrivate(dir);
        Path part = Files.createTempFile(dir, "libsqlitejdbc-", ".part");
        try {
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            if (crc(part) != crc) {
                throw new IOException("the copy of " + resource + " does not match the jar's checksum");
            }
            try {
                Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, library, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
        removeOthers(dir, library);
        return Optional.of(library);
    }

    /** The copies of other versions of the driver, so that upgrades do not pile them up (one that a running process loaded stays mapped). */
    private static void removeOthers(Path dir, Path library) throws IOException {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(dir, "libsqlitejdbc-*.so")) {
            for (Path copy : copies) {
                if (!copy.equals(library)) {
                    Files.deleteIfExists(copy);
                }
            }
        }
    }

    /** Only its owner may write where a library that the process loads is kept. */
    private static void createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // another start made it meanwhile
        }
    }

    private static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }
}
