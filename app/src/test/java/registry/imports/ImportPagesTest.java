package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.access.Role;
import registry.db.Timestamps;
import registry.support.TestServer;
import registry.support.TestServer.Browser;

/** The import pages: upload, a preview that changes nothing, apply once, the rejected rows, the file kept in the database. */
class ImportPagesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final Pattern APPLY = Pattern.compile("action=\"(/[a-z]+/import/([A-Za-z0-9_-]{43}))\"");
    private static final Pattern REJECTED = Pattern.compile("href=\"(/[a-z]+/import/[A-Za-z0-9_-]{43}/rejected\\.csv)\"");

    /** Posts {@code csv} as the import form's file, with the form's CSRF token, as a browser does. */
    static HttpResponse<String> upload(Browser browser, String kind, String filename, String csv) {
        String token = TestServer.csrfToken(browser.get("/" + kind + "/import").body());
        String boundary = "----registry" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--" + boundary + "--\r\n";
        return browser.send(HttpRequest.newBuilder(server.uri("/" + kind + "/import"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    private static String applyPath(HttpResponse<String> preview) {
        Matcher m = APPLY.matcher(preview.body());
        assertThat(m.find()).as("an Import button in:\n" + preview.body()).isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> apply(Browser browser, HttpResponse<String> preview) {
        String path = applyPath(preview);
        return browser.postForm(path, java.util.Map.of("_csrf", TestServer.csrfToken(preview.body())));
    }

    private static long total(String kind) {
        String body = server.get("/api/" + kind + "?size=1").body();
        Matcher m = Pattern.compile("\"total\":(\\d+)").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void each_list_page_links_its_import_form_for_editors_and_the_form_takes_a_file() {
        Browser editor = server.signedIn(Role.EDITOR);
        assertThat(editor.get("/people").body()).contains("href=\"/people/import\"");
        assertThat(editor.get("/movies").body()).contains("href=\"/movies/import\"", "href=\"/credits/import\"");
        HttpResponse<String> form = editor.get("/movies/import");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("enctype=\"multipart/form-data\"", "type=\"file\"", "name=\"_csrf\"", "id, title, year, version", "UTF-8, at most 64 MiB.");

        Browser viewer = server.signedIn(Role.VIEWER);
        assertThat(viewer.get("/people").body()).doesNotContain("/people/import");
        assertThat(viewer.get("/people/import").statusCode()).isEqualTo(403);
        assertThat(server.anonymousBrowser().get("/people/import").headers().firstValue("Location")).hasValue("/sign-in?next=%2Fpeople%2Fimport");
    }

    @Test
    void the_preview_says_what_would_happen_changes_nothing_and_the_import_button_applies_it_once() {
        Browser editor = server.signedIn(Role.EDITOR);
        server.json("POST", "/api/people", "{\"name\":\"Agnès Varda\",\"born\":1928}");
        long before = total("people");

        HttpResponse<String> preview = upload(editor, "people", "people.csv",
                "name,born\nAgnès Varda,1928\nChantal Akerman,1950\nJacques Demy,1931\n");
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("Import people.csv", "<strong>2</strong> created", "<strong>0</strong> updated",
                "<strong>1</strong> unchanged", ">Import</button>");
        assertThat(total("people")).isEqualTo(before);

        HttpResponse<String> applied = apply(editor, preview);
        assertThat(applied.statusCode()).isEqualTo(303);
        assertThat(applied.headers().firstValue("Location")).hasValue("/people");
        assertThat(editor.get("/people").body()).contains("Imported 3 rows: 2 created, 0 updated, 1 unchanged.");
        assertThat(total("people")).isEqualTo(before + 2);
        assertThat(server.get("/api/people?q=akerman").body()).contains("\"born\":1950");

        HttpResponse<String> again = apply(editor, preview);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("applied already");
        assertThat(total("people")).isEqualTo(before + 2);
    }

    @Test
    void invalid_rows_are_listed_by_line_and_field_with_no_import_button_and_come_back_as_csv_with_their_error() {
        Browser editor = server.signedIn(Role.EDITOR);
        long before = total("movies");
        HttpResponse<String> preview = upload(editor, "movies", "movies.csv",
                "title,year\nStalker,1979\n=Solaris,1700\nMirror,1975\nstalker,1979\n");
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("line 3: year: Year must be a year from 1888", "line 5: same as line 2",
                "<strong>2</strong> invalid").doesNotContain(">Import</button>");
        assertThat(total("movies")).isEqualTo(before);

        Matcher link = REJECTED.matcher(preview.body());
        assertThat(link.find()).isTrue();
        HttpResponse<String> rejected = editor.get(link.group(1));
        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(rejected.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(rejected.body().lines().toList()).containsExactly(
                "\uFEFFtitle,year,error",
                "'=Solaris,1700,year: Year must be a year from 1888 to " + (java.time.Year.now().getValue() + 10),
                "stalker,1979,same as line 2");
        assertThat(server.signedIn(Role.ADMIN).get(link.group(1)).statusCode()).as("another account's upload").isEqualTo(404);
    }

    @Test
    void a_file_that_cannot_be_read_says_so_without_counts_of_rows() {
        Browser editor = server.signedIn(Role.EDITOR);
        HttpResponse<String> preview = upload(editor, "movies", "movies.csv", "title,year\n\"Stalker,1979\nMirror,1975\n");

        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("the file cannot be read as it is", "line 2: ")
                .doesNotContain("invalid rows are fixed", "import-counts", ">Import</button>");
    }

    @Test
    void a_row_that_became_invalid_since_the_preview_is_refused_with_the_preview_again_and_nothing_changes() {
        Browser editor = server.signedIn(Role.EDITOR);
        HttpResponse<String> preview = upload(editor, "users", "users.csv", "username,email\nbeatrix,beatrix@example.org\nkiddo,kiddo@example.org\n");
        assertThat(preview.body()).contains("<strong>2</strong> created");
        assertThat(server.json("POST", "/api/users", "{\"username\":\"bill\",\"email\":\"KIDDO@example.org\"}").statusCode()).isEqualTo(201);
        long before = total("users");

        HttpResponse<String> refused = apply(editor, preview);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("line 3: email: Email is already registered");
        assertThat(total("users")).isEqualTo(before);
        assertThat(server.get("/api/users?q=beatrix").body()).contains("\"total\":0");
    }

    @Test
    void an_upload_waits_in_the_database_for_another_instance_and_no_longer_than_an_hour() {
        Browser editor = server.signedIn(Role.EDITOR);
        HttpResponse<String> preview = upload(editor, "movies", "m.csv", "title,year\nPlaytime,1967\n");
        try (TestServer other = TestServer.start(server.db.config)) {
            HttpResponse<String> applied = TestServer.browser(other.base).send(HttpRequest.newBuilder(other.uri(applyPath(preview)))
                    .header("Cookie", editor.cookieHeader()).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + TestServer.csrfToken(preview.body()))).build());
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(303);
        }
        assertThat(server.get("/api/movies?q=playtime").body()).contains("\"total\":1");

        HttpResponse<String> old = upload(editor, "movies", "m.csv", "title,year\nMon Oncle,1958\n");
        String id = APPLY.matcher(old.body()).results().findFirst().orElseThrow().group(2);
        server.db.database.write(h -> h.createUpdate("UPDATE imports SET created_at = :then WHERE id = :id")
                .bind("then", Timestamps.now().minusSeconds(3601)).bind("id", id).execute());
        assertThat(apply(editor, old).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/movies?q=oncle").body()).contains("\"total\":0");
        // The next upload forgets it altogether.
        upload(editor, "movies", "m.csv", "title,year\nTrafic,1971\n");
        int left = server.db.database.read(h -> h.createQuery("SELECT count(*) FROM imports WHERE id = :id").bind("id", id)
                .mapTo(Integer.class).one());
        assertThat(left).isZero();
    }

    @Test
    void a_form_without_a_file_is_asked_again_and_multipart_is_refused_on_every_other_form() {
        Browser editor = server.signedIn(Role.EDITOR);
        HttpResponse<String> empty = upload(editor, "people", "", "");
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(empty.body()).contains("Choose a CSV file to upload.");

        String boundary = "b0undary";
        HttpResponse<String> elsewhere = editor.send(HttpRequest.newBuilder(server.uri("/people"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nX\r\n--"
                        + boundary + "--\r\n")).build());
        assertThat(elsewhere.statusCode()).isEqualTo(415);
    }

    @Test
    void credits_are_imported_from_the_movies_page_by_names() {
        Browser editor = server.signedIn(Role.EDITOR);
        server.json("POST", "/api/people", "{\"name\":\"Jacques Tati\",\"born\":1907}");
        server.json("POST", "/api/movies", "{\"title\":\"Les Vacances de M. Hulot\",\"year\":1953}");
        HttpResponse<String> preview = upload(editor, "credits", "credits.csv",
                "movie_title,movie_year,person_name,role\nles vacances de m. hulot,1953,JACQUES TATI,director\n"
                        + "Les Vacances de M. Hulot,1953,Jacques Tati,actor\n");
        assertThat(preview.body()).contains("<strong>2</strong> created");
        HttpResponse<String> applied = apply(editor, preview);
        assertThat(applied.headers().firstValue("Location")).hasValue("/movies");
        assertThat(server.get("/credits.csv").body()).contains(",Les Vacances de M. Hulot,1953,", ",Jacques Tati,director", ",Jacques Tati,actor");
    }
}
