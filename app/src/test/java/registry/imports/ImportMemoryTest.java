package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.ChildApp;
import registry.support.TestEngine;

/**
 * A CSV as large as an import takes (import.max-bytes, 64 MiB) is read as a stream: the packaged
 * app, run with the run command's JVM options (target/registry.args: a 96 MB heap), imports a
 * movies file of that size without an OutOfMemoryError, and its heap after each full collection stays
 * far below the file's size. The file is written row by row to disk, never built in memory here
 * either. Needs mvn package first (the integration run has it).
 *
 * <p>SQLite only: reading the file is the same on every engine.
 */
@Tag("slow")
@Tag("sqlite-only")
class ImportMemoryTest {
    /** After-collection heap line of -Xlog:gc: "GC(3) Pause Young (Allocation Failure) 40M->12M(92M) 5.1ms". */
    private static final Pattern AFTER_GC = Pattern.compile("\\d+M->(\\d+)M\\((\\d+)M\\)");
    private static final long SIZE = Long.getLong("import.memory.bytes", 64L * 1024 * 1024 - 64 * 1024);

    /**
     * A title as long as the form allows, mostly in CJK, three bytes each in UTF-8: 64 MiB in about
     * 100,000 rows rather than 600,000 of short titles, so that the test takes one minute, not eight.
     * Held whole as one Java string the file would still take about 60 MB (29 million characters,
     * two bytes each): with the 20 MB the app holds anyway, and the copies a growing buffer makes, more
     * than the 96 MB heap.
     */
    private static final int TITLE = 200;
    private static final String WIDE = "映画の題名は長い電影標題很長영화제목이길다".repeat(10);

    @TempDir
    Path dir;

    @Test
    void a_64_mib_file_imports_within_the_96_mb_heap_of_the_run_command() throws Exception {
        Path target = Path.of(System.getProperty("project.pom", "pom.xml")).toAbsolutePath().getParent().resolve("target");
        assertThat(target.resolve("registry.jar")).as("mvn -B package -DskipTests first").exists();
        Path csv = dir.resolve("movies.csv");
        long rows = write(csv, SIZE);
        Path gcLog = dir.resolve("gc.log");
        boolean dryRun = Boolean.getBoolean("import.memory.dry-run");

        try (ChildApp app = ChildApp.startJar(target, TestEngine.newDatabaseUrl(dir), List.of("-Xlog:gc:file=" + gcLog))) {
            String base = app.base();
            String token = app.writeToken();
            long start = System.nanoTime();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/movies/import"
                            + (dryRun ? "?dry_run=true" : "")))
                    .header("Content-Type", "text/csv").header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(20))
                    .POST(HttpRequest.BodyPublishers.ofFile(csv)).build(), HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - start) / 1e9;
            String heap = heapInfo(app.process().pid());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(Csv.counts(response)).isEqualTo(rows + "/0/0/0");
            assertThat(app.process().isAlive()).as(String.join("\n", app.log())).isTrue();
            assertThat(app.log()).noneMatch(line -> line.contains("OutOfMemoryError"));
            // What a full collection leaves is what the app holds; a young one's figure also counts the
            // dead objects waiting in the old generation for the next full one.
            int peak = 0;
            int youngPeak = 0;
            int capacity = 0;
            int full = 0;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = AFTER_GC.matcher(line);
                if (m.find()) {
                    int after = Integer.parseInt(m.group(1));
                    if (line.contains("Pause Full")) {
                        full++;
                        peak = Math.max(peak, after);
                    } else {
                        youngPeak = Math.max(youngPeak, after);
                    }
                    capacity = Math.max(capacity, Integer.parseInt(m.group(2)));
                }
            }
            if (full == 0) {
                peak = youngPeak; // the old generation never filled: no more was ever held than this
            }
            System.out.printf("import of %d rows, %.1f MiB (%s): %.1f s, %.0f rows/s; heap after %d full GCs at most %d MiB"
                            + " (after young ones %d MiB) of %d MiB%n%s%n",
                    rows, Files.size(csv) / 1048576.0, dryRun ? "dry run" : "kept", seconds, rows / seconds, full, peak, youngPeak, capacity, heap);
            assertThat(peak).as("the most heap a full collection left in use, MiB").isLessThan(40);
        }
    }

    /** Writes movies as the export has them, ids from 1, until the file holds {@code size} bytes; returns the rows. */
    private static long write(Path file, long size) throws IOException {
        long rows = 0;
        long bytes = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            String header = "\uFEFFid,title,year,created_at,updated_at,version\n";
            out.write(header);
            bytes += header.getBytes(StandardCharsets.UTF_8).length;
            while (true) {
                long id = rows + 1;
                String start = "Film n° " + id + ", \"the " + Long.toString(id * 7919, 36) + "\" cut ";
                String title = start + WIDE.substring(0, TITLE - start.length());
                String line = id + ",\"" + title.replace("\"", "\"\"") + "\"," + (1900 + id % 120)
                        + ",2026-01-02T03:04:05.678Z,2026-01-02T03:04:05.678Z,1\n";
                int length = line.getBytes(StandardCharsets.UTF_8).length;
                if (bytes + length > size) {
                    return rows;
                }
                out.write(line);
                bytes += length;
                rows++;
            }
        }
    }

    private static String heapInfo(long pid) {
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "no jcmd: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
