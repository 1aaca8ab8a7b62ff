package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static registry.imports.ImportClient.counts;
import static registry.imports.ImportClient.errors;
import static registry.imports.ImportClient.json;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

/**
 * SPEC "Import", files that are not what they should be: each answered 422 with its line (or 413),
 * nothing written, and the server still serving others meanwhile.
 */
class ImportBadInputTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final ImportClient imports = new ImportClient(server);
    private static final int MIB = 1024 * 1024;

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Imports {@code body}, which must be refused; its errors. Checks that nothing was written. */
    private static java.util.List<String> refused(String kind, byte[] body) {
        String before = imports.state();
        HttpResponse<String> response = imports.post(kind, "", body);
        java.util.List<String> errors = errors(response);
        assertThat(imports.state()).as("nothing written").isEqualTo(before);
        return errors;
    }

    @Test
    void a_png_is_not_csv() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R', 0, 0, 1, 0};

        assertThat(refused("movies", png))
                .containsExactly("line 1: The file is not UTF-8 text (byte 0x89 at offset 0). Save it as CSV UTF-8 and upload it again");
        assertThat(refused("movies", bytes(new byte[] {(byte) 0xFF, (byte) 0xFE}, "title\nUTF-16\n".getBytes(StandardCharsets.UTF_16LE))))
                .as("UTF-16, byte-order mark and all").containsExactly(
                        "line 1: The file is not UTF-8 text (byte 0xFF at offset 0). Save it as CSV UTF-8 and upload it again");
    }

    @Test
    void invalid_utf8_is_refused_at_its_exact_line_however_far_into_the_file() {
        byte[] near = bytes("name\nFirst Good\nSecond Good\n\n", new byte[] {'B', 'a', 'd', ' ', (byte) 0xC3, '(', '\n'}, "After\n");
        byte[] far = bytes("name\nFar Good\n", "\n".repeat(50_000), new byte[] {'x', (byte) 0xFF, '\n'});
        byte[] cut = bytes("name\nCut Short ", new byte[] {(byte) 0xE2, (byte) 0x82});
        byte[] surrogate = bytes("name\nOk\nSurrogate ", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'});

        assertThat(refused("people", near))
                .as("the byte that begins the broken character, not the one after it")
                .containsExactly("line 5: The file is not UTF-8 text (byte 0xC3 at offset 33). Save it as CSV UTF-8 and upload it again");
        assertThat(refused("people", far)).singleElement().asString().startsWith("line 50003: The file is not UTF-8 text (byte 0xFF");
        assertThat(refused("people", cut))
                .containsExactly("line 2: The file is not UTF-8 text: it ends inside a character. Save it as CSV UTF-8");
        assertThat(refused("people", surrogate)).singleElement().asString().startsWith("line 3: The file is not UTF-8 text (byte 0xED at offset 18)");
    }

    @Test
    void the_rows_read_before_a_broken_line_are_checked_and_reported_before_it_in_file_order() {
        // Rows read ahead: batches of 256 on another thread. (Rows within the CSV reader's last
        // buffer before the broken byte, a few KiB, are not reported: the decoding fails first.)
        StringBuilder rows = new StringBuilder("title,year\n");
        for (int line = 2; line < 2000; line++) {
            rows.append(line == 3 || line == 700 ? "" : "Ahead " + line).append(',').append(line == 520 ? "1700" : "2000").append('\n');
        }
        byte[] file = bytes(rows, new byte[] {'B', 'a', 'd', (byte) 0xFF, '\n'}, "After,2001\n");

        assertThat(refused("movies", file)).containsExactly(
                "line 3: title: Title is required",
                "line 520: year: Year must be a year from 1888 to " + (java.time.Year.now().getValue() + 10),
                "line 700: title: Title is required",
                "line 2000: The file is not UTF-8 text (byte 0xFF at offset " + (rows.length() + 3) + "). Save it as CSV UTF-8 and upload it again");
        assertThat(Thread.getAllStackTraces().keySet()).as("the thread that read the file ahead has ended")
                .noneMatch(thread -> thread.getName().equals("registry-import-reader"));
    }

    @Test
    void an_empty_file_or_a_header_alone_has_nothing_to_import() {
        assertThat(refused("users", new byte[0]))
                .containsExactly("line 1: The file is empty: its first line must name the columns, as the export writes them");
        assertThat(refused("users", bytes("\uFEFF")))
                .containsExactly("line 1: The file is empty: its first line must name the columns, as the export writes them");
        assertThat(refused("users", bytes("username,email\r\n")))
                .containsExactly("line 2: The file has a header but no rows to import");
        assertThat(refused("users", bytes("\uFEFFid,username,email,created_at,updated_at,version")))
                .containsExactly("line 2: The file has a header but no rows to import");
        assertThat(counts(imports.post("users", "", bytes("\uFEFF\r\n\r\nusername,email\r\nbom_user,bom@example.org\r\n"))))
                .as("a byte-order mark, then blank lines before the header").containsExactly(1L, 0L, 0L);
    }

    @Test
    void a_million_empty_lines_are_skipped_and_a_row_after_them_keeps_its_line() {
        String lines = "\n".repeat(1_000_000);

        assertThat(refused("people", bytes("name,born\n", lines)))
                .containsExactly("line 2: The file has a header but no rows to import");
        assertThat(refused("people", bytes("name,born\n", "\r\n".repeat(1_000_000), "Late Row,1700\n")))
                .containsExactly("line 1000002: born: Born must be a year from 1800 to " + java.time.Year.now().getValue());
        assertThat(counts(imports.post("people", "", bytes("name,born\n", lines, "After A Million Lines,1950\n"))))
                .containsExactly(1L, 0L, 0L);
        assertThat(json(server.get("/api/people?q=After+A+Million")).get("total").asLong()).isEqualTo(1);
    }

    @Test
    void a_cell_of_ten_megabytes_is_refused_at_its_line() {
        String huge = "a".repeat(10 * 1000 * 1000);

        assertThat(refused("movies", bytes("title,year\nFine,2000\n\"", huge, "\",2001\n")))
                .containsExactly("line 3: A row is longer than 1024 KiB (is a quote left open?)");
        assertThat(refused("movies", bytes("title,year\nFine,2000\nFine Too,2001\n", huge, ",2002\n")))
                .containsExactly("line 4: A row is longer than 1024 KiB (is a quote left open?)");
        assertThat(refused("movies", bytes("title,year,created_at\nFine,2000,", huge, "\n")))
                .as("even in a column the import skips").containsExactly("line 2: A row is longer than 1024 KiB (is a quote left open?)");
    }

    @Test
    void a_quote_left_open_is_refused_at_the_line_it_opens() {
        assertThat(refused("movies", bytes("title,year\nFine,2000\n\"Open,2001\nMore,2002\nAnd More,2003\n")))
                .containsExactly("line 3: A quoted cell is never closed: a \" opens it and no \" ends it before the end of the file");
        assertThat(refused("movies", bytes("title,year\n\"Closed\" then more,2000\n")))
                .containsExactly("line 2: A quoted cell goes on after its closing quote; a \" inside a quoted cell is written \"\"");
    }

    @Test
    void a_row_with_more_or_fewer_cells_than_the_header_is_refused() {
        assertThat(refused("movies", bytes("title,year\nThree Cells,2000,extra\nOne Cell\nRight,2001\n"))).containsExactly(
                "line 2: The row has 3 cells; the header names 2", "line 3: The row has 1 cell; the header names 2");
    }

    @Test
    void a_credit_naming_a_person_twice_is_refused() {
        long movie = imports.create("movies", "{\"title\":\"Twice Named\",\"year\":1999}");
        long person = imports.create("people", "{\"name\":\"Named Once\"}");
        imports.create("people", "{\"name\":\"Named Twice\"}");

        assertThat(refused("credits", bytes("movie_id,person_name,person_name,role\n" + movie + ",Named Once,Named Twice,actor\n")))
                .containsExactly("line 1: Column \"person_name\" is named twice in the header");
        assertThat(refused("credits", bytes("movie_id,person_id,person_name,role\n" + movie + "," + person + ",Named Twice,actor\n")))
                .containsExactly("line 2: person_name: person " + person + " is \"Named Once\", not \"Named Twice\"");
        assertThat(refused("credits", bytes("movie_id,person_name,role\n" + movie + ",Named Once,actor\n"
                + movie + ",NAMED ONCE,actor\n"))).containsExactly("line 3: same as line 2");
    }

    @Test
    void a_header_that_names_no_column_or_a_column_twice_is_one_error_on_line_one() {
        assertThat(refused("users", bytes("username,,email\nx_user,,x@example.org\n")))
                .containsExactly("line 1: Column 2 has no name in the header");
        assertThat(refused("users", bytes("username,email,USERNAME,email\nx,y,z,w\n"))).containsExactly(
                "line 1: Column \"email\" is named twice in the header; Unknown column \"USERNAME\": users have the columns id, username, "
                        + "email, version");
    }

    /** {@code size} bytes of a valid movies file: a few long rows, their bulk in created_at, a column the import skips. */
    private static InputStream moviesFileOf(long size) {
        byte[] header = "title,year,created_at\n".getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            long position;

            @Override
            public int read() {
                if (position >= size) {
                    return -1;
                }
                long p = position++;
                if (p < header.length) {
                    return header[(int) p];
                }
                // Rows of 512 KiB: "Big N,2000,xxxx…\n"; the last ends where the file does.
                long inRow = (p - header.length) % (512 * 1024);
                long row = (p - header.length) / (512 * 1024);
                String start = "Big " + row + ",2000,";
                if (inRow < start.length()) {
                    return start.charAt((int) inRow);
                }
                return inRow == 512 * 1024 - 1 || p == size - 1 ? '\n' : 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) read();
                }
                return n;
            }
        };
    }

    @Test
    @Tag("slow")
    void sixty_four_mib_are_taken_and_one_byte_more_is_413_with_or_without_a_length() {
        long limit = 64L * MIB;
        String before = imports.state();

        HttpResponse<String> withLength = server.send(HttpRequest.newBuilder(server.uri("/api/movies/import"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> moviesFileOf(limit + 1)),
                        limit + 1)).build());
        HttpResponse<String> chunked = server.send(HttpRequest.newBuilder(server.uri("/api/movies/import"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> moviesFileOf(limit + 1))).build());

        assertThat(withLength.statusCode()).as(withLength.body()).isEqualTo(413);
        assertThat(json(withLength).get("error").asText()).contains("import.max-bytes (67108864 bytes)");
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(imports.state()).isEqualTo(before);
        assertThat(server.get("/health").statusCode()).isEqualTo(200);

        HttpResponse<String> exactly = server.send(HttpRequest.newBuilder(server.uri("/api/movies/import"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> moviesFileOf(limit)), limit))
                .build());
        assertThat(counts(exactly)).containsExactly(128L, 0L, 0L);
    }

    @Test
    @Tag("slow")
    void the_server_answers_others_while_a_big_import_runs() throws Exception {
        // Long enough to read during it: SQLite and PostgreSQL import some 1,000-3,000 rows a second here, MariaDB some 800.
        registry.db.Engine engine = registry.support.TestEngine.ENGINE;
        int rows = engine == registry.db.Engine.MARIADB ? 3_000 : engine == registry.db.Engine.POSTGRESQL ? 10_000 : 20_000;
        StringBuilder csv = new StringBuilder("name,born\n");
        for (int i = 0; i < rows; i++) {
            csv.append("Crowd Person ").append(i).append(',').append(1900 + i % 100).append('\n');
        }
        long before = imports.total("people");
        TestServer.Browser other = server.newBrowser();

        CompletableFuture<HttpResponse<String>> big = CompletableFuture.supplyAsync(() -> imports.post("people", csv.toString()));
        int answered = 0;
        int answeredWhileLocked = 0;
        long slowest = 0;
        while (!big.isDone()) {
            // On PostgreSQL the import disables the table's count trigger, which locks the table (SHARE ROW EXCLUSIVE) to its commit.
            boolean locked = engine == registry.db.Engine.POSTGRESQL && countTriggerLocked("people");
            long start = System.nanoTime();
            // Reads only: on SQLite the import is the one writer's change until it ends, and writes wait for it.
            HttpResponse<String> list = other.get("/api/movies?size=5");
            HttpResponse<String> page = other.get("/people?q=Crowd");
            slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(page.statusCode()).isEqualTo(200);
            if (!page.body().contains("Crowd Person")) {
                answered++; // read while the import's transaction was still open
                answeredWhileLocked += locked ? 1 : 0;
            }
            Thread.sleep(50);
        }

        assertThat(counts(big.get())).containsExactly((long) rows, 0L, 0L);
        assertThat(answered).as("reads answered while the import ran").isGreaterThanOrEqualTo(3);
        if (engine == registry.db.Engine.POSTGRESQL) {
            assertThat(answeredWhileLocked).as("reads answered while the import held the table's lock").isGreaterThanOrEqualTo(3);
            assertThat(countTriggerLocked("people")).as("the lock ends with the import").isFalse();
        }
        assertThat(slowest).as("ms for the slowest pair of reads").isLessThan(2000);
        assertThat(imports.total("people")).isEqualTo(before + rows);
        assertThat(json(server.get("/api/people?q=Crowd+Person+" + (rows - 1))).get("total").asLong()).isEqualTo(1);
        imports.create("people", "{\"name\":\"After The Crowd\"}");
        assertThat(imports.total("people")).as("the count trigger is back: a later insert is counted").isEqualTo(before + rows + 1);
    }

    /** Whether this database's {@code table} is locked SHARE ROW EXCLUSIVE (PostgreSQL), as disabling a trigger locks it. */
    private static boolean countTriggerLocked(String table) {
        return server.db.database.read(h -> h.createQuery("""
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND c.relname = :table AND l.mode = 'ShareRowExclusiveLock' AND l.granted""")
                .bind("table", table).mapTo(Long.class).one()) > 0;
    }
}
