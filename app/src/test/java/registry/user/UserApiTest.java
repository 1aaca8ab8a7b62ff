package registry.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

/** The users JSON API over HTTP: every row of SPEC "JSON API" for users. */
class UserApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static HttpResponse<String> post(String body) {
        return server.json("POST", "/api/users", body);
    }

    private static long created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher m = Pattern.compile("^/api/users/(\\d+)$").matcher(response.headers().firstValue("Location").orElseThrow());
        assertThat(m.matches()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void create_gives_201_with_location_and_the_record_in_snake_case() {
        HttpResponse<String> response = post("{\"username\":\" api_create \",\"email\":\"api.create@example.org\"}");
        long id = created(response);

        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.body()).contains("\"id\":" + id, "\"username\":\"api_create\"", "\"email\":\"api.create@example.org\"",
                "\"version\":1", "\"created_at\":\"20", "\"updated_at\":\"");
        assertThat(response.body()).matches(".*\"created_at\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\".*");
        assertThat(server.get("/api/users/" + id).body()).isEqualTo(response.body());
    }

    @Test
    void a_charset_parameter_is_fine() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/api/users"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"api_charset\",\"email\":\"api.charset@example.org\"}")).build());

        created(response);
    }

    @Test
    void invalid_input_gives_422_with_errors_by_field() {
        HttpResponse<String> response = post("{\"username\":\"a\",\"email\":\"nope\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).isEqualTo("{\"errors\":{\"username\":[\"Username must be 3 to 50 characters long\"],"
                + "\"email\":[\"Email must be a valid address, such as name@example.org\"]}}");
    }

    @Test
    void a_control_character_is_refused_on_every_engine() {
        HttpResponse<String> response = post("{\"username\":\"nul\",\"email\":\"nul\\u0000@example.org\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"email\":[", "\"Email must not contain control characters\"");
        assertThat(server.get("/api/users?q=nul").body()).contains("\"total\":0");
    }

    @Test
    void missing_members_are_required() {
        HttpResponse<String> response = post("{}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"username\":[\"Username is required\"]", "\"email\":[\"Email is required\"]");
    }

    @Test
    void a_duplicate_alone_gives_409() {
        created(post("{\"username\":\"api_dup\",\"email\":\"api.dup@example.org\"}"));

        HttpResponse<String> response = post("{\"username\":\"API_DUP\",\"email\":\"api.dup2@example.org\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).isEqualTo("{\"error\":\"Username is already taken\"}");
    }

    @Test
    void a_body_that_is_not_a_json_object_gives_400() {
        for (String body : new String[] {"[1,2]", "\"text\"", "{\"username\":", "", "null", "{} {}"}) {
            HttpResponse<String> response = post(body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).startsWith("{\"error\":\"");
        }
    }

    @Test
    void another_or_a_missing_content_type_gives_415() {
        HttpResponse<String> form = server.send(HttpRequest.newBuilder(server.uri("/api/users"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=x&email=y")).build());
        HttpResponse<String> none = server.send(HttpRequest.newBuilder(server.uri("/api/users"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"api_none\",\"email\":\"api.none@example.org\"}")).build());

        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(none.statusCode()).isEqualTo(415);
        assertThat(form.body()).contains("application/json");
    }

    @Test
    void put_onto_another_users_name_gives_409() {
        created(post("{\"username\":\"api_taken\",\"email\":\"api.taken@example.org\"}"));
        long id = created(post("{\"username\":\"api_taker\",\"email\":\"api.taker@example.org\"}"));

        HttpResponse<String> response = server.json("PUT", "/api/users/" + id,
                "{\"username\":\"Api_Taken\",\"email\":\"api.taker@example.org\",\"version\":1}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).isEqualTo("{\"error\":\"Username is already taken\"}");
    }

    @Test
    void put_of_a_missing_user_gives_404_and_invalid_input_422() {
        HttpResponse<String> missing = server.json("PUT", "/api/users/9999999",
                "{\"username\":\"api_ghost\",\"email\":\"api.ghost@example.org\",\"version\":1}");
        HttpResponse<String> invalid = server.json("PUT", "/api/users/9999999", "{\"username\":\"\",\"email\":\"x\",\"version\":1}");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(invalid.statusCode()).isEqualTo(422);
    }

    @Test
    void list_gives_items_page_size_total_with_search_sort_and_paging() {
        for (int i = 0; i < 5; i++) {
            created(post("{\"username\":\"api_list_" + i + "\",\"email\":\"list" + i + "@api-list.example.org\"}"));
        }

        HttpResponse<String> response = server.get("/api/users?q=API-LIST.EXAMPLE&sort=username&order=desc&size=2&page=2");

        assertThat(response.statusCode()).isEqualTo(200);
        // Page 2 of 3: the answer carries the cursor of the page after it; the last page's is null.
        assertThat(response.body()).startsWith("{\"items\":[").contains("],\"page\":2,\"size\":2,\"total\":5,\"next\":\"");
        assertThat(server.get("/api/users?q=API-LIST.EXAMPLE&sort=username&order=desc&size=2&page=3").body())
                .endsWith("],\"page\":3,\"size\":2,\"total\":5,\"next\":null}");
        assertThat(response.body().indexOf("api_list_2")).isPositive().isLessThan(response.body().indexOf("api_list_1"));
        assertThat(response.body()).doesNotContain("api_list_4", "api_list_0");
    }

    @Test
    void a_write_naming_another_origin_gives_403_and_changes_nothing() {
        HttpResponse<String> foreign = server.send(HttpRequest.newBuilder(server.uri("/api/users"))
                .header("Content-Type", "application/json").header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"api_evil\",\"email\":\"api.evil@example.org\"}")).build());
        HttpResponse<String> same = server.send(HttpRequest.newBuilder(server.uri("/api/users"))
                .header("Content-Type", "application/json").header("Origin", server.base)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"api_same\",\"email\":\"api.same@example.org\"}")).build());

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(server.get("/api/users?q=api_evil").body()).contains("\"total\":0");
        assertThat(same.statusCode()).isEqualTo(201);
    }
}
