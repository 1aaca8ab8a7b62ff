package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.access.Role;
import registry.support.TestServer;

/**
 * The export as LibreOffice saves it back imports into an empty database, with the same ids and
 * fields, but for what LibreOffice itself changed. The fixtures under
 * {@code resources/imports/libreoffice/} are made by its {@code make.sh} (LibreOffice 7.4, Debian
 * 12): {@code export/} is the app's own people.csv and movies.csv, {@code saved/} the same after
 * CSV → .xlsx → CSV, UTF-8, in LibreOffice. Against the export, LibreOffice's CSV:
 * <ul>
 * <li>has no byte-order mark, and quotes every text cell, the header's too (numbers bare);
 * <li>keeps the {@code '} guard as text ("'=Equals Sign"), so the import takes it off as it does
 *     from the export: CSV import in LibreOffice does not read a leading ' as a spreadsheet's
 *     "this is text" mark;
 * <li>keeps created_at and updated_at as they were (ISO 8601 with a Z is not a date to it), and
 *     ids, years and versions as the same digits;
 * <li>turns text that looks like a number into that number's display: "007" becomes "7", "1e3"
 *     "1.00E+03", "9/11" the date "09/11/26", "12:30" "12:30:00 PM", "50%" "50.00%". That is
 *     the spreadsheet's doing, not the import's: such a cell arrives as the changed text. (Opened
 *     with "Detect special numbers" off, as its Text Import dialog has it by default, only "007"
 *     and "1e3" change, to "7" and "1000".)
 * </ul>
 */
class LibreOfficeCsvTest {
    /** What LibreOffice made of the cells that looked like numbers, by kind, id and field. */
    private static final Map<String, Map<Long, Map<String, String>>> CHANGED = Map.of(
            "people", Map.of(12L, Map.of("name", "7")),
            "movies", Map.of(13L, Map.of("title", "09/11/26"), 14L, Map.of("title", "01/02/26"), 16L, Map.of("title", "1.00E+03"),
                    17L, Map.of("title", "7"), 18L, Map.of("title", "12:30:00 PM"), 19L, Map.of("title", "50.00%")));
    private static final Map<String, List<String>> FIELDS = Map.of("people", List.of("name", "born"), "movies", List.of("title", "year"));

    @TempDir
    Path dir;

    @Test
    void the_export_saved_by_libreoffice_imports_with_the_same_ids_and_fields() throws IOException {
        try (TestServer server = TestServer.start(dir)) {
            String token = server.token(Role.EDITOR, "write");
            for (String kind : List.of("people", "movies")) {
                String original = fixture("export/" + kind + ".csv");
                String saved = fixture("saved/" + kind + ".csv");
                assertThat(original).startsWith("\uFEFF");
                assertThat(saved).as("LibreOffice writes no byte-order mark, and quotes the header").startsWith("\"id\",");

                HttpResponse<String> imported = Csv.post(server, token, kind, saved.getBytes(StandardCharsets.UTF_8), false);

                assertThat(imported.statusCode()).as(kind + ": " + imported.body()).isEqualTo(200);
                Map<Long, Map<String, String>> expected = Csv.byId(original, FIELDS.get(kind));
                assertThat(Csv.counts(imported)).as(imported.body()).isEqualTo(expected.size() + "/0/0/0");
                CHANGED.get(kind).forEach((id, fields) -> expected.get(id).putAll(fields));
                assertThat(Csv.byId(server.get("/" + kind + ".csv").body(), FIELDS.get(kind))).as(kind).isEqualTo(expected);
            }
            assertThat(server.get("/api/people/4").body()).as("the ' guard is taken off").contains("\"name\":\"=Equals Sign\"");
            assertThat(server.get("/api/movies/6").body()).contains("\"title\":\"=HYPERLINK(\\\"http://example.org\\\",\\\"click\\\")\"");
            assertThat(server.get("/api/movies/4").body()).contains("\"title\":\"First line\\nSecond line\"");
        }
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = LibreOfficeCsvTest.class.getResourceAsStream("/imports/libreoffice/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
