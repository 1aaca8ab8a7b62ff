package registry.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

/** The users pages over HTTP, as a browser without JavaScript uses them. */
class UserPagesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static HttpResponse<String> create(String username, String email) {
        return server.submit("/users", "/users", Map.of("username", username, "email", email));
    }

    private static long createdId(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(303);
        Matcher m = Pattern.compile("^/users/(\\d+)$").matcher(response.headers().firstValue("Location").orElseThrow());
        assertThat(m.matches()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void list_page_has_the_create_form_above_the_table() {
        HttpResponse<String> page = server.get("/users");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body().indexOf("<form method=\"post\" action=\"/users\"")).isGreaterThan(0)
                .isLessThan(page.body().indexOf("<table>"));
        assertThat(page.body()).contains("name=\"_csrf\"", "<label for=\"username\">Username</label>");
    }

    @Test
    void invalid_input_gives_422_with_messages_beside_fields_and_values_kept() {
        HttpResponse<String> response = create("x!", "not-an-email");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body())
                .contains("value=\"x!\"", "value=\"not-an-email\"")
                .contains("aria-describedby=\"username-error\"", "<p class=\"error\" id=\"username-error\">")
                .contains("Username must be 3 to 50 characters long", "Username may contain only letters, digits and the characters _ . -")
                .contains("Email must be a valid address");
    }

    @Test
    void blank_fields_say_only_that_they_are_required() {
        HttpResponse<String> response = create("   ", "");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("Username is required", "Email is required")
                .doesNotContain("Username must be 3 to 50");
    }

    @Test
    void an_email_without_a_dot_in_its_domain_is_refused() {
        HttpResponse<String> response = create("nodot", "someone@localhost");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("Email must be a valid address");
    }

    @Test
    void a_duplicate_ignoring_case_is_a_field_message() {
        createdId(create("dup_name", "Dup.Mail@Example.org"));

        HttpResponse<String> sameName = create("DUP_NAME", "other.dup@example.org");
        HttpResponse<String> sameMail = create("dup_other", "dup.mail@EXAMPLE.ORG");

        assertThat(sameName.statusCode()).isEqualTo(422);
        assertThat(sameName.body()).contains("Username is already taken", "value=\"DUP_NAME\"");
        assertThat(sameMail.statusCode()).isEqualTo(422);
        assertThat(sameMail.body()).contains("Email is already registered");
    }

    @Test
    void a_missing_user_is_a_404_page_without_a_trace() {
        HttpResponse<String> missing = server.get("/users/999999");
        HttpResponse<String> notANumber = server.get("/users/abc");
        HttpResponse<String> noRoute = server.get("/nowhere");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<h1>Not Found</h1>", "No user with id 999999").doesNotContain("Exception", "at registry.");
        assertThat(notANumber.statusCode()).isEqualTo(404);
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(noRoute.body()).contains("There is no page at /nowhere");
    }

    @Test
    void invalid_update_gives_422_on_the_edit_form() {
        long id = createdId(create("pages_badedit", "pages.badedit@example.org"));

        HttpResponse<String> response = server.submit("/users/" + id + "/edit", "/users/" + id,
                Map.of("username", "ok_name", "email", "broken", "version", "1"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("Email must be a valid address", "value=\"ok_name\"", "value=\"broken\"");
    }

    @Test
    void a_form_without_its_version_is_a_400_not_a_500() {
        long id = createdId(create("pages_nover", "pages.nover@example.org"));

        HttpResponse<String> response = server.submit("/users/" + id + "/edit", "/users/" + id,
                Map.of("username", "pages_nover", "email", "pages.nover@example.org", "version", "x"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("version must be a whole number");
    }

    @Test
    void search_is_escaped_when_shown() {
        HttpResponse<String> page = server.get("/users?q=%3Cscript%3Ealert(1)%3C/script%3E");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
    }

    @Test
    void odd_list_parameters_fall_back_and_never_fail() {
        for (String query : new String[] {"page=0", "page=-5", "page=abc", "page=99999999999999999999999", "size=0",
                "size=100000", "size=-1", "sort=password", "sort=id;DROP%20TABLE%20users", "order=sideways",
                "q=%25", "q=_", "q=%27%22", "page=2&size=1&sort=email&order=desc"}) {
            HttpResponse<String> page = server.get("/users?" + query);
            assertThat(page.statusCode()).as(query).isEqualTo(200);
        }
        assertThat(server.get("/api/users?size=100000").body()).contains("\"size\":100");
        assertThat(server.get("/api/users?size=0").body()).contains("\"size\":1");
        assertThat(server.get("/api/users?page=-3").body()).contains("\"page\":1");
    }
}
