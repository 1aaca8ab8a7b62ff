package registry.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.support.ChildApp;

/**
 * SPEC "Durability", seen from the kernel: the packaged app runs under strace, which logs its
 * syncs and the writes of its answers in the order they happen, and writes made one after another
 * are each answered only after a sync, made by the writer thread, that followed the previous
 * answer. With {@code database.sqlite-synchronous=normal} the same writes are answered with no
 * commit sync of the writer's at all (only the sync of the log's header when a commit starts the
 * log over, which SQLite makes whatever the setting), which is what that setting gives up, and
 * shows that this test can fail. (The checkpoint thread syncs too, whatever the setting, when it copies the log into the
 * database file: those syncs are not the commit's.)
 */
@Tag("slow")
@Tag("sqlite-only")
class DurabilityTest {
    private static final Path STRACE = Path.of("/usr/bin/strace");
    private static final int WRITES = 15;
    /** SQLite's write of a log's new header: 32 bytes at offset 0. */
    private static final java.util.regex.Pattern WAL_HEADER = java.util.regex.Pattern.compile("pwrite64\\(\\d+, .*, 32, 0[) ]");

    @TempDir
    Path dir;

    @Test
    void by_default_every_write_is_answered_after_a_sync() throws Exception {
        List<Integer> syncsBefore = writeUnderStrace(List.of());
        assertThat(syncsBefore).as("syncs completed before each 201, since the answer before it").hasSize(WRITES).allMatch(n -> n >= 1);
    }

    @Test
    void with_normal_writes_are_answered_without_waiting_for_a_sync() throws Exception {
        List<Integer> syncsBefore = writeUnderStrace(List.of("env", "DATABASE_SQLITE_SYNCHRONOUS=normal"));
        assertThat(syncsBefore).hasSize(WRITES);
        // The first answer follows the start's own syncs (the migration's); none after it waits for a commit's sync.
        List<Integer> after = syncsBefore.subList(1, WRITES);
        assertThat(after).as("commit syncs before each answer after the first").allMatch(n -> n == 0);
    }

    /** Makes {@link #WRITES} movies one after another through the API; for each answer, the syncs that completed since the one before. */
    private List<Integer> writeUnderStrace(List<String> env) throws Exception {
        if (!Files.isExecutable(STRACE)) {
            String how = "the durability test needs Debian's strace: apt-get install strace";
            if (System.getenv("CI") != null) {
                fail("CI runs the durability test: " + how);
            }
            Assumptions.abort("skipped: " + how);
        }
        Path target = Path.of(System.getProperty("project.pom", "pom.xml")).toAbsolutePath().getParent().resolve("target");
        assertThat(target.resolve("registry.jar")).as("mvn -B package -DskipTests first").exists();
        Path trace = dir.resolve("strace.log");
        List<String> wrapper = new ArrayList<>(env);
        // -f: every thread (the writer commits on its own); --seccomp-bpf: only the traced calls stop the process.
        wrapper.addAll(List.of(STRACE.toString(), "-f", "--seccomp-bpf", "-e", "trace=fsync,fdatasync,pwrite64,write,writev,sendto,sendmsg",
                "-s", "16", "-o", trace.toString()));
        String url = "jdbc:sqlite:" + dir.resolve("registry.db");
        String writer;
        try (ChildApp app = ChildApp.startJar(wrapper, target, url, List.of())) {
            String base = app.base();
            String token = app.writeToken();
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < WRITES; i++) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/api/movies"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Durable " + i + "\",\"year\":1999}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            }
            List<ProcessHandle> java = app.process().toHandle().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("/java")).toList();
            assertThat(java).hasSize(1);
            writer = writerThread(java.get(0).pid());
            // SIGTERM to the app itself, under strace: strace stops when its last tracee has, its log complete.
            java.forEach(ProcessHandle::destroy);
            assertThat(app.process().waitFor(60, TimeUnit.SECONDS)).as("strace ends with the app").isTrue();
        }
        return syncsBeforeAnswers(Files.readAllLines(trace), writer);
    }

    /** The thread id of the app's writer thread, which strace prints at the start of each of its lines. */
    private static String writerThread(long pid) throws Exception {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals("registry-writer")) {
                    return task.getFileName().toString();
                }
            }
        }
        throw new AssertionError("no registry-writer thread in process " + pid);
    }

    /**
     * Reads strace's log in order: a commit's sync by the {@code writer} thread counts once it has
     * returned (its line, or its "resumed" line when another thread's call came between), an answer
     * when its write starts. Not counted: the sync of the log's header that follows the header's
     * write (32 bytes at offset 0), which SQLite makes whatever the setting when a commit starts the
     * log over after a checkpoint.
     */
    static List<Integer> syncsBeforeAnswers(List<String> lines, String writer) {
        List<Integer> counts = new ArrayList<>();
        int syncs = 0;
        boolean header = false;
        for (String line : lines) {
            boolean mine = line.startsWith(writer + " ");
            boolean sync = mine && (line.contains("fsync(") || line.contains("fdatasync(")
                    || line.contains("<... fsync resumed>") || line.contains("<... fdatasync resumed>"));
            if (mine && WAL_HEADER.matcher(line).find()) {
                header = true;
            } else if (sync && !line.contains("<unfinished ...>")) {
                if (!header) {
                    syncs++;
                }
                header = false;
            } else if (line.contains("\"HTTP/1.1 201")) {
                counts.add(syncs);
                syncs = 0;
            }
        }
        return counts;
    }
}
