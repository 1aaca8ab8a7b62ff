package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.access.Role;
import registry.support.TestServer;

/**
 * A list page's records and facets are made once per data version and kept (Records.shown): what
 * is kept must never carry one reader's form token, flash or role to another, and must give way to
 * the next change, made here or by another instance.
 */
class KeptListPagesTest {
    @TempDir
    Path dir;

    @Test
    void each_reader_gets_the_kept_list_with_their_own_form_token_flash_and_role() {
        try (TestServer server = TestServer.start(dir)) {
            server.create("users", "{\"username\":\"kept_one\",\"email\":\"kept_one@example.org\"}");
            TestServer.Browser editor = server.signedIn(Role.EDITOR);
            TestServer.Browser otherEditor = server.signedIn(Role.EDITOR);
            TestServer.Browser viewer = server.signedIn(Role.VIEWER);

            HttpResponse<String> created = editor.submit("/users", "/users", Map.of("username", "kept_two", "email", "kept_two@example.org"));
            assertThat(created.statusCode()).isEqualTo(303);
            String editorPage = editor.get("/users?sort=username").body();
            String otherPage = otherEditor.get("/users?sort=username").body();
            String viewerPage = viewer.get("/users?sort=username").body();

            // The same records for all three, the second made from what the first kept.
            for (String page : new String[] {editorPage, otherPage, viewerPage}) {
                assertThat(page).contains("kept_one").contains("kept_two");
            }
            assertThat(editorPage).contains("Created user kept_two.");
            assertThat(otherPage).doesNotContain("Created user");
            String editorToken = TestServer.csrfToken(editorPage);
            String otherToken = TestServer.csrfToken(otherPage);
            assertThat(editorToken).isNotEqualTo(otherToken);
            assertThat(otherPage).doesNotContain(editorToken);
            assertThat(editorPage).contains("/users/import");
            assertThat(viewerPage).doesNotContain("/users/import").doesNotContain("New user")
                    .doesNotContain(editorToken).doesNotContain(otherToken);
            // Each token still does its job for the one it was given to.
            assertThat(otherEditor.postForm("/users", Map.of("_csrf", otherToken, "username", "kept_three", "email", "kept_three@example.org"))
                    .statusCode()).isEqualTo(303);
            assertThat(otherEditor.get("/users?sort=username").body()).contains("kept_three").contains("Created user kept_three.");
        }
    }

    @Test
    void the_page_around_the_list_is_made_once_per_account_and_filled_in_with_each_requests_own_token() {
        try (TestServer server = TestServer.start(dir)) {
            server.create("users", "{\"username\":\"framed_one\",\"email\":\"framed_one@example.org\"}");
            TestServer.Browser editor = server.signedIn(Role.EDITOR);
            TestServer.Browser admin = server.signedIn(Role.ADMIN);
            String editorName = server.account(Role.EDITOR);
            String adminName = server.account(Role.ADMIN);

            String editorFirst = editor.get("/users").body();
            String adminFirst = admin.get("/users").body();
            String editorAgain = editor.get("/users").body();
            String adminAgain = admin.get("/users").body();
            TestServer.Browser editorElsewhere = server.signedIn(Role.EDITOR); // the same account, another session
            String elsewhere = editorElsewhere.get("/users").body();

            for (String page : new String[] {editorFirst, editorAgain, elsewhere}) {
                assertThat(page).contains(">" + editorName + "<").doesNotContain(">" + adminName + "<").doesNotContain("/accounts\"")
                        .contains("framed_one").contains("New user");
            }
            for (String page : new String[] {adminFirst, adminAgain}) {
                assertThat(page).contains(">" + adminName + "<").doesNotContain(">" + editorName + "<").contains("/accounts\"")
                        .contains("framed_one").contains("New user");
            }
            String editorToken = TestServer.csrfToken(editorAgain);
            String elsewhereToken = TestServer.csrfToken(elsewhere);
            assertThat(editorToken).isNotEqualTo(elsewhereToken).isNotEqualTo(TestServer.csrfToken(adminAgain));
            assertThat(elsewhere).doesNotContain(editorToken);
            // The page holds the token twice (the create form, signing out), both the request's own.
            assertThat(elsewhere.split(java.util.regex.Pattern.quote(elsewhereToken), -1)).hasSize(3);
            assertThat(editor.postForm("/users", Map.of("_csrf", elsewhereToken, "username", "framed_two", "email", "framed_two@example.org"))
                    .statusCode()).as("another session's token").isEqualTo(403);
            assertThat(editorElsewhere.postForm("/users", Map.of("_csrf", elsewhereToken, "username", "framed_two", "email", "framed_two@example.org"))
                    .statusCode()).isEqualTo(303);
            assertThat(editorElsewhere.get("/users").body()).contains("Created user framed_two.");
            assertThat(editorElsewhere.get("/users").body()).doesNotContain("Created user").contains("framed_two");
        }
    }

    @Test
    @Tag("sqlite-only")
    void a_change_made_by_another_instance_shows_on_the_next_list_page() {
        try (TestServer first = TestServer.start(dir); TestServer second = TestServer.start(dir)) {
            TestServer.Browser reader = first.signedIn(Role.VIEWER);
            assertThat(reader.get("/users?sort=username&order=desc").body()).doesNotContain("elsewhere");
            assertThat(reader.get("/users?sort=username&order=desc").body()).doesNotContain("elsewhere");

            second.create("users", "{\"username\":\"made_elsewhere\",\"email\":\"elsewhere@example.org\"}");

            assertThat(reader.get("/users?sort=username&order=desc").body()).contains("made_elsewhere");
        }
    }
}
