package registry.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import registry.db.Database;
import registry.db.Timestamps;

/**
 * Files checked on an import page and waiting to be applied, kept in the database (tables
 * {@code imports} and {@code import_chunks}) so that whichever instance the next request reaches can
 * apply them; each is kept an hour, and its file no longer once applied.
 */
final class Uploads {
    /** How long a checked file waits to be applied (SPEC "Import"). */
    static final Duration KEPT = Duration.ofHours(1);
    /** Each stored piece of a file: well under a MariaDB packet, few enough rows for 64 MiB. */
    private static final int CHUNK = 256 * 1024;
    static final String UPLOAD = "upload";
    static final String REJECTED = "rejected";

    /** A waiting upload as its preview showed it. */
    record Upload(String id, String kind, String account, String filename, long bytes, Instant createdAt, Report report) {}

    private final Database database;

    Uploads(Database database) {
        this.database = database;
    }

    /** Keeps a checked file, its report and its rejected rows; forgets uploads older than {@link #KEPT} on the way. */
    void store(String id, String kind, String account, String filename, Spool upload, Report report, Spool rejected) {
        database.write(h -> {
            Instant now = Timestamps.now();
            h.createUpdate("DELETE FROM imports WHERE created_at < :cutoff").bind("cutoff", now.minus(KEPT)).execute();
            h.createUpdate("""
                    INSERT INTO imports (id, kind, account, filename, bytes, created_at, created, updated, unchanged, invalid)
                    VALUES (:id, :kind, :account, :filename, :bytes, :now, :created, :updated, :unchanged, :invalid)""")
                    .bind("id", id).bind("kind", kind).bind("account", account)
                    .bind("filename", filename.length() > 255 ? filename.substring(0, 255) : filename)
                    .bind("bytes", upload.size()).bind("now", now)
                    .bind("created", report.created()).bind("updated", report.updated()).bind("unchanged", report.unchanged())
                    .bind("invalid", report.invalid()).execute();
            write(h, id, UPLOAD, upload);
            if (rejected != null) {
                write(h, id, REJECTED, rejected);
            }
            return null;
        });
    }

    private static void write(Handle h, String id, String part, Spool file) {
        try (InputStream in = file.open()) {
            byte[] chunk;
            for (int seq = 0; (chunk = in.readNBytes(CHUNK)).length > 0; seq++) {
                h.createUpdate("INSERT INTO import_chunks (import_id, part, seq, data) VALUES (:id, :part, :seq, :data)")
                        .bind("id", id).bind("part", part).bind("seq", seq).bind("data", chunk).execute();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The upload {@code id} of {@code account}, if it waits still (not applied, not an hour old). */
    Optional<Upload> waiting(String id, String kind, String account) {
        return database.read(h -> h.createQuery("""
                        SELECT id, kind, account, filename, bytes, created_at, created, updated, unchanged, invalid
                        FROM imports
                        WHERE id = :id AND kind = :kind AND account = :account AND applied_at IS NULL AND created_at >= :cutoff""")
                .bind("id", id).bind("kind", kind).bind("account", account).bind("cutoff", Timestamps.now().minus(KEPT))
                .map((rs, ctx) -> new Upload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        ctx.findColumnMapperFor(Instant.class).orElseThrow().map(rs, 6, ctx),
                        new Report(rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), java.util.List.of(), rs.getLong(10))))
                .findOne());
    }

    /**
     * Marks the upload applied on {@code h}, inside the transaction that applies it: false when it
     * is not waiting (applied already, by this or another instance, or too old). Rolled back with a
     * failed import, which leaves it waiting.
     */
    static boolean claim(Handle h, String id, String kind, String account) {
        Instant now = Timestamps.now();
        return h.createUpdate("""
                        UPDATE imports SET applied_at = :now
                        WHERE id = :id AND kind = :kind AND account = :account AND applied_at IS NULL AND created_at >= :cutoff""")
                .bind("now", now).bind("id", id).bind("kind", kind).bind("account", account).bind("cutoff", now.minus(KEPT))
                .execute() == 1;
    }

    /** Drops an applied upload's files (its row stays, so that a second apply is told it was applied). */
    static void dropFiles(Handle h, String id) {
        h.createUpdate("DELETE FROM import_chunks WHERE import_id = :id").bind("id", id).execute();
    }

    /** A stored file read piece by piece on {@code h}: never whole in memory. */
    static InputStream read(Handle h, String id, String part) {
        return new InputStream() {
            private int seq;
            private byte[] chunk = new byte[0];
            private int at;
            private boolean done;

            private boolean fill() {
                while (!done && at >= chunk.length) {
                    Optional<byte[]> next = h.createQuery("SELECT data FROM import_chunks WHERE import_id = :id AND part = :part AND seq = :seq")
                            .bind("id", id).bind("part", part).bind("seq", seq++).mapTo(byte[].class).findOne();
                    if (next.isEmpty()) {
                        done = true;
                    } else {
                        chunk = next.get();
                        at = 0;
                    }
                }
                return !done;
            }

            @Override
            public int read() {
                return fill() ? chunk[at++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, chunk.length - at);
                System.arraycopy(chunk, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    /** Writes the stored rejected rows of a waiting upload to {@code out}, piece by piece; false when it is not waiting. */
    boolean sendRejected(String id, String kind, String account, java.io.OutputStream out) {
        if (waiting(id, kind, account).isEmpty()) {
            return false;
        }
        database.read(h -> {
            try (InputStream in = read(h, id, REJECTED)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
        return true;
    }
}
