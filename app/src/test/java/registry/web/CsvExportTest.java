package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.support.TestServer;

/** Each list as CSV: the current view, every page, quoted by RFC 4180, readable as UTF-8. */
class CsvExportTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    /** A viewer's read token: an export as a script would fetch it. */
    private static String token;

    private static HttpResponse<byte[]> csv(String path) {
        if (token == null) {
            token = server.token(Role.VIEWER, "read");
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri(path))
                            .header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Creates a movie per JSON body, each of which must be accepted. */
    private static void movies(String... bodies) {
        for (String body : bodies) {
            assertThat(server.json("POST", "/api/movies", body).statusCode()).as(body).isEqualTo(201);
        }
    }

    private static String csvText(String path) {
        return new String(csv(path).body(), StandardCharsets.UTF_8);
    }

    @Test
    void commas_quotes_newlines_and_non_ascii_are_quoted_and_utf8() {
        movies("{\"title\":\"Crouching Tiger, Hidden Dragon\",\"year\":2000}",
                "{\"title\":\"The \\\"Quoted\\\" One\"}",
                "{\"title\":\"Two\\nLines\"}",
                "{\"title\":\"Amélie – 天使\"}");

        HttpResponse<byte[]> response = csv("/movies.csv");
        byte[] bytes = response.body();
        String text = new String(bytes, StandardCharsets.UTF_8);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("text/csv; charset=utf-8");
        assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment", "movies.csv");
        assertThat(bytes[0] & 0xFF).isEqualTo(0xEF);
        assertThat(text).startsWith("\uFEFFid,title,year,created_at,updated_at,version,directors\r\n")
                .contains(",\"Crouching Tiger, Hidden Dragon\",2000,")
                .contains(",\"The \"\"Quoted\"\" One\",,")
                .contains(",\"Two\nLines\",,")
                .contains(",Amélie – 天使,,");
    }

    @Test
    void a_cell_a_spreadsheet_would_run_as_a_formula_is_written_inert() {
        movies("{\"title\":\"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"}",
                "{\"title\":\"+1 Plus\",\"year\":1999}",
                "{\"title\":\"@SUM(A1)\"}",
                "{\"title\":\"-minus\"}",
                "{\"title\":\"Plain = fine\"}");

        String text = csvText("/movies.csv");

        assertThat(text).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",,")
                .contains(",'+1 Plus,1999,")
                .contains(",'@SUM(A1),,")
                .contains(",'-minus,,")
                .contains(",Plain = fine,,");
    }

    /**
     * A spreadsheet whose list separator is ";" (most of Europe) splits an unquoted cell there, and
     * a piece that then starts with = + - @ runs as a formula: such cells are quoted whole.
     */
    @Test
    void a_cell_with_a_separator_before_a_formula_is_quoted_whole() {
        movies("{\"title\":\"x;=cmd|' /C calc'!A0\"}",
                "{\"title\":\"Safe; Sound\"}",
                "{\"title\":\"Tab\\t+Sum\"}",
                "{\"title\":\"Pipe |@SUM(1)\"}",
                "{\"title\":\"=1;2\"}",
                "{\"title\":\"Well - Done\"}");

        String text = csvText("/movies.csv");

        assertThat(text).contains(",\"x;=cmd|' /C calc'!A0\",,")
                .contains(",\"Safe; Sound\",,")
                .contains(",\"Tab\t+Sum\",,")
                .contains(",\"Pipe |@SUM(1)\",,")
                .contains(",\"'=1;2\",,")
                .contains(",Well - Done,,");
    }

    @Test
    void the_export_is_the_filtered_sorted_view_on_every_page() {
        for (int i = 0; i < 30; i++) {
            server.json("POST", "/api/people", "{\"name\":\"Exported " + String.format("%02d", i) + "\"}");
        }
        server.json("POST", "/api/people", "{\"name\":\"Left Out\"}");

        String text = csvText("/people.csv?q=exported&sort=name&order=desc&size=5&page=3");

        String[] lines = text.split("\r\n");
        assertThat(lines).hasSize(31);
        assertThat(lines[1]).contains(",Exported 29,");
        assertThat(lines[30]).contains(",Exported 00,");
        assertThat(text).doesNotContain("Left Out");
    }
}
