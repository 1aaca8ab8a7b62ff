package registry.imports;

import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A received file, whole on disk before an import reads it: the import runs in a write transaction
 * (on SQLite, the one writer), which must not wait on a client's upload. Readable by its owner only;
 * deleted on close.
 */
final class Spool implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    private final Path file;
    private final long size;

    private Spool(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    /** Copies {@code in} to a new file; past {@code max} bytes, 413 and nothing kept. */
    static Spool of(InputStream in, long max) {
        Path file = null;
        try {
            file = Files.createTempFile("registry-import-", ".csv", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            long size = 0;
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    size += n;
                    if (size > max) {
                        throw tooLarge(max);
                    }
                    out.write(buffer, 0, n);
                }
            }
            return new Spool(file, size);
        } catch (IOException | RuntimeException e) {
            delete(file);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /** 413, naming the limit. */
    static HttpResponseException tooLarge(long max) {
        return new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(),
                "The file is larger than import.max-bytes (" + max + " bytes); split it, or raise the limit");
    }

    InputStream open() {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long size() {
        return size;
    }

    @Override
    public void close() {
        delete(file);
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }
}
