package registry.person;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Year;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import registry.support.TestServer;

/** People over HTTP: the rules of a person, in the pages and the API. */
class PeoplePagesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static HttpResponse<String> create(String name, String born) {
        return server.submit("/people", "/people", Map.of("name", name, "born", born));
    }

    @Test
    void born_is_optional_but_must_be_a_year_from_1800_to_this_year() {
        int next = Year.now().getValue() + 1;
        HttpResponse<String> unknown = create("Born Unknown", "");
        HttpResponse<String> tooEarly = create("Too Early", "1799");
        HttpResponse<String> future = create("Not Yet Born", String.valueOf(next));
        HttpResponse<String> text = create("Born Text", "nineteen");

        assertThat(unknown.statusCode()).isEqualTo(303);
        assertThat(tooEarly.statusCode()).isEqualTo(422);
        assertThat(tooEarly.body()).contains("Born must be a year from 1800 to " + Year.now().getValue(), "value=\"1799\"");
        assertThat(future.statusCode()).isEqualTo(422);
        assertThat(text.statusCode()).isEqualTo(422);
        assertThat(text.body()).contains("value=\"nineteen\"");
    }

    @Test
    void names_are_unique_ignoring_case_with_unicode_folding() {
        assertThat(create("Émile Zola", "1840").statusCode()).isEqualTo(303);

        HttpResponse<String> page = create("ÉMILE ZOLA", "");
        HttpResponse<String> api = server.json("POST", "/api/people", "{\"name\":\"émile zola\"}");

        assertThat(page.statusCode()).isEqualTo(422);
        assertThat(page.body()).contains("A person with this name already exists", "value=\"ÉMILE ZOLA\"");
        assertThat(api.statusCode()).isEqualTo(409);
        assertThat(api.body()).isEqualTo("{\"error\":\"A person with this name already exists\"}");
    }

    @Test
    void the_api_refuses_a_born_of_the_wrong_type_and_a_long_name() {
        HttpResponse<String> wrongType = server.json("POST", "/api/people", "{\"name\":\"Typed\",\"born\":\"1950\"}");
        HttpResponse<String> tooLong = server.json("POST", "/api/people", "{\"name\":\"" + "x".repeat(81) + "\"}");
        HttpResponse<String> ok = server.json("POST", "/api/people", "{\"name\":\"Chantal Akerman\",\"born\":1950}");

        assertThat(wrongType.statusCode()).isEqualTo(422);
        assertThat(wrongType.body()).isEqualTo("{\"errors\":{\"born\":[\"must be a whole number\"]}}");
        assertThat(tooLong.statusCode()).isEqualTo(422);
        assertThat(tooLong.body()).contains("Name must be at most 80 characters long");
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(ok.body()).contains("\"name\":\"Chantal Akerman\"", "\"born\":1950", "\"version\":1");
    }

}
