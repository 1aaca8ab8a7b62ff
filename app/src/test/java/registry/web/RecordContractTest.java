package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import registry.db.CaseFold;
import registry.movie.Movies;
import registry.person.People;
import registry.record.Field;
import registry.record.Kind;
import registry.support.TestServer;
import registry.user.Users;

/**
 * What every kind of record does the same way, over HTTP: pages, forms, the JSON API and the CSV
 * export, derived from each kind's declaration. A new kind is tested by adding its {@link Sample}
 * to {@link #kinds}; the kinds' own test classes keep only what differs.
 */
class RecordContractTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /**
     * A kind and what the test needs to know of its rules: valid values for the n-th record
     * (distinct for each n, text containing "ctq" so a search finds them), and an invalid input
     * with the message one field gets for it.
     */
    record Sample(Kind<?, ?> kind, IntFunction<Map<String, String>> valid, Map<String, String> invalid,
                  String invalidField, String invalidMessage) {
        @Override
        public String toString() {
            return kind.path();
        }
    }

    static Stream<Sample> kinds() {
        return Stream.of(
                new Sample(Users.KIND, n -> Map.of("username", "ctq_user_" + five(n), "email", "ctq" + five(n) + "@example.org"),
                        Map.of("username", "a", "email", "ok@example.org"), "username", "Username must be 3 to 50 characters long"),
                new Sample(People.KIND, n -> Map.of("name", "Ctq Person " + five(n), "born", Integer.toString(1900 + n % 100)),
                        Map.of("name", "", "born", "1950"), "name", "Name is required"),
                new Sample(Movies.KIND, n -> Map.of("title", "Ctq Movie " + five(n), "year", Integer.toString(1950 + n % 50)),
                        Map.of("title", "Alien", "year", "1700"), "year", "Year must be a year from 1888 to "));
    }

    /**
     * A number in five digits: the samples' texts then differ only in digits at the same place, and
     * sort the same under any engine's collation.
     */
    private static String five(int n) {
        return String.format("%05d", n);
    }

    private static Map<String, String> values(Sample sample) {
        return sample.valid().apply(SEQUENCE.incrementAndGet());
    }

    /** The values as a form of an edit page, with the version it was read at. */
    private static Map<String, String> withVersion(Map<String, String> values, long version) {
        Map<String, String> form = new LinkedHashMap<>(values);
        form.put("version", Long.toString(version));
        return form;
    }

    /** The values as a JSON object, each member typed as its field declares. */
    private static String json(Kind<?, ?> kind, Map<String, String> values, Long version) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        for (Field<?> field : kind.fields()) {
            String value = values.get(field.name());
            if (field.isNumber()) {
                body.put(field.name(), Integer.valueOf(value));
            } else {
                body.put(field.name(), value);
            }
        }
        if (version != null) {
            body.put("version", version);
        }
        return body.toString();
    }

    private static JsonNode parse(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Creates a record through the API and returns it as the API answered. */
    private static JsonNode created(Sample sample, Map<String, String> values) {
        HttpResponse<String> response = server.json("POST", "/api/" + sample.kind().path(), json(sample.kind(), values, null));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode record = parse(response);
        assertThat(response.headers().firstValue("Location")).contains("/api/" + sample.kind().path() + "/" + record.get("id").asLong());
        return record;
    }

    private static void assertHolds(JsonNode record, Map<String, String> values) {
        values.forEach((field, value) -> assertThat(record.get(field).asText()).as(field).isEqualTo(value));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void a_form_create_redirects_303_to_the_record_whose_page_shows_every_field_and_the_flash(Sample sample) {
        String path = "/" + sample.kind().path();
        Map<String, String> values = values(sample);

        HttpResponse<String> created = server.submit(path, path, values);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(path + "/\\d+");
        String page = server.get(location).body();
        assertThat(page).contains("Created " + sample.kind().singular() + " " + values.get(sample.kind().fields().get(0).name()) + ".");
        for (Field<?> field : sample.kind().fields()) {
            assertThat(page).contains("<dt>" + field.label() + "</dt><dd>" + values.get(field.name()) + "</dd>");
        }
        assertThat(server.get(location).body()).as("the flash is shown once").doesNotContain("Created ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void invalid_input_gives_422_with_the_values_kept_and_the_message_beside_its_field(Sample sample) {
        String path = "/" + sample.kind().path();

        HttpResponse<String> page = server.submit(path, path, sample.invalid());
        HttpResponse<String> api = server.json("POST", "/api" + path, json(sample.kind(), sample.invalid(), null));

        assertThat(page.statusCode()).isEqualTo(422);
        assertThat(page.body()).contains("id=\"" + sample.invalidField() + "-error\">" + sample.invalidMessage());
        sample.invalid().forEach((field, value) -> assertThat(page.body()).contains("name=\"" + field + "\" type=\"")
                .contains("value=\"" + value + "\""));
        assertThat(api.statusCode()).isEqualTo(422);
        assertThat(parse(api).get("errors").get(sample.invalidField()).get(0).asText()).startsWith(sample.invalidMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void a_member_of_the_wrong_type_is_a_field_error(Sample sample) {
        Field<?> field = sample.kind().fields().get(sample.kind().fields().size() - 1);
        ObjectNode body = (ObjectNode) Json.MAPPER.valueToTree(Map.of());
        body.putArray(field.name()).add("x");

        HttpResponse<String> response = server.json("POST", "/api/" + sample.kind().path(), body.toString());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(parse(response).get("errors").get(field.name()).get(0).asText())
                .isEqualTo(field.isNumber() ? "must be a whole number" : "must be a string");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void every_sortable_field_sorts_both_ways_and_the_search_finds_by_each_searched_field(Sample sample) {
        Kind<?, ?> kind = sample.kind();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(created(sample, values(sample)).get("id").asLong());
        }
        for (String sort : kind.sortable()) {
            List<JsonNode> up = items(kind, "sort=" + sort + "&order=asc&size=100&q=ctq");
            List<JsonNode> down = items(kind, "sort=" + sort + "&order=desc&size=100&q=ctq");
            Comparator<JsonNode> byValue = (a, b) -> compare(sortKey(a.get(sort)), sortKey(b.get(sort)));
            Comparator<JsonNode> order = byValue.thenComparing(n -> n.get("id").asLong());
            assertThat(up).as("ascending by " + sort).isSortedAccordingTo(order);
            assertThat(down).as("descending by " + sort).isSortedAccordingTo(order.reversed());
            assertThat(up).extracting(n -> n.get("id").asLong()).containsAll(ids);
        }
        JsonNode one = parse(server.get("/api/" + kind.path() + "/" + ids.get(1)));
        for (Field<?> field : kind.fields()) {
            if (field.isSearched()) {
                String text = one.get(field.name()).asText();
                String middle = text.substring(1).toUpperCase(java.util.Locale.ROOT);
                assertThat(items(kind, "q=" + java.net.URLEncoder.encode(middle, java.nio.charset.StandardCharsets.UTF_8)))
                        .as("search by " + field).extracting(n -> n.get("id").asLong()).contains(ids.get(1));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void the_search_ignores_accents_in_the_query_as_it_ignores_case(Sample sample) {
        Kind<?, ?> kind = sample.kind();
        JsonNode record = created(sample, values(sample));
        for (Field<?> field : kind.fields()) {
            if (field.isSearched()) {
                String accented = record.get(field.name()).asText().toUpperCase(java.util.Locale.ROOT)
                        .replace('C', 'Ć').replace('T', 'Ť').replace('E', 'É').replace('O', 'Ö');
                for (String q : List.of(accented, accented.substring(0, 2))) {
                    assertThat(items(kind, "sort=id&order=desc&q=" + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8)))
                            .as("q=" + q + " by " + field).extracting(n -> n.get("id").asLong()).contains(record.get("id").asLong());
                }
            }
        }
    }

    /** Missing values first, as the database orders them going up. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable a, Comparable b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    /** How the database orders a value: numbers, times, folded text (through its key column). */
    @SuppressWarnings("rawtypes")
    private static Comparable sortKey(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.asLong();
        }
        try {
            return Instant.parse(value.asText());
        } catch (java.time.format.DateTimeParseException notATime) {
            return CaseFold.fold(value.asText());
        }
    }

    private static List<JsonNode> items(Kind<?, ?> kind, String query) {
        HttpResponse<String> response = server.get("/api/" + kind.path() + "?" + query);
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        parse(response).get("items").forEach(items::add);
        return items;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void the_edit_form_carries_the_version_an_update_redirects_and_a_stale_one_gives_409_with_the_current_values(Sample sample) {
        String path = "/" + sample.kind().path();
        long id = created(sample, values(sample)).get("id").asLong();
        Map<String, String> first = values(sample);
        Map<String, String> second = values(sample);

        assertThat(server.get(path + "/" + id + "/edit").body()).contains("name=\"version\" value=\"1\"");
        HttpResponse<String> saved = server.submit(path + "/" + id + "/edit", path + "/" + id, withVersion(first, 1));
        HttpResponse<String> stale = server.submit(path + "/" + id + "/edit", path + "/" + id, withVersion(second, 1));

        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).contains(path + "/" + id);
        assertThat(stale.statusCode()).isEqualTo(409);
        String firstLabel = first.get(sample.kind().fields().get(0).name());
        assertThat(stale.body()).contains("Someone else changed this " + sample.kind().singular(), firstLabel, "version 2");
        assertHolds(parse(server.get("/api" + path + "/" + id)), first);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void the_edit_page_names_the_record_as_saved_in_its_breadcrumb_even_when_the_form_comes_back_invalid(Sample sample) {
        String path = "/" + sample.kind().path();
        Map<String, String> values = values(sample);
        long id = created(sample, values).get("id").asLong();
        String label = values.get(sample.kind().fields().get(0).name());
        String crumb = "<a href=\"" + path + "/" + id + "\">" + label + "</a></p>";

        String edit = server.get(path + "/" + id + "/edit").body();
        HttpResponse<String> invalid = server.submit(path + "/" + id + "/edit", path + "/" + id, withVersion(sample.invalid(), 1));

        assertThat(edit).contains(crumb).doesNotContain(sample.kind().singular() + " " + id + "</a>");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains(crumb);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void a_page_past_the_end_says_so_and_links_to_the_last_page_not_to_the_empty_one_before(Sample sample) {
        String path = "/" + sample.kind().path();
        created(sample, values(sample));
        long total = parse(server.get("/api" + path)).get("total").asLong();
        long last = (total + 9) / 10;
        String noun = sample.kind().title().toLowerCase(java.util.Locale.ROOT);

        for (long page : new long[] {last + 1, 999}) {
            HttpResponse<String> past = server.get(path + "?size=10&page=" + page);

            assertThat(past.statusCode()).isEqualTo(200);
            assertThat(past.body()).as("page " + page)
                    .contains("No " + noun + " on this page", "page " + page + " is past the end (" + total + " " + noun + " on " + last)
                    .contains("size=10&amp;page=" + last + "\">Go to the last page</a>")
                    .doesNotContain("rel=\"prev\"", "&ndash;", "of " + total + " " + noun);
        }
        assertThat(server.get(path + "?size=10&page=" + last).body()).doesNotContain("past the end").contains("of " + total + " " + noun);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void delete_asks_first_then_redirects_to_the_list_and_a_stale_version_gives_409(Sample sample) {
        String path = "/" + sample.kind().path();
        long id = created(sample, values(sample)).get("id").asLong();
        String confirm = path + "/" + id + "/delete";

        HttpResponse<String> question = server.get(confirm);
        HttpResponse<String> stale = server.submit(confirm, confirm, Map.of("version", "2"));
        HttpResponse<String> deleted = server.submit(confirm, confirm, Map.of("version", "1"));

        assertThat(question.body()).contains("Delete " + sample.kind().singular(), "name=\"version\" value=\"1\"")
                .doesNotContain("This also removes");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.headers().firstValue("Location")).contains(path);
        assertThat(server.get(path + "/" + id).statusCode()).isEqualTo(404);
        assertThat(server.get(path + "/" + id + "/edit").statusCode()).isEqualTo(404);
        assertThat(server.get(confirm).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void the_api_reads_replaces_and_deletes_with_optimistic_locking(Sample sample) {
        String api = "/api/" + sample.kind().path();
        Map<String, String> values = values(sample);
        JsonNode record = created(sample, values);
        long id = record.get("id").asLong();
        Map<String, String> changed = values(sample);

        HttpResponse<String> read = server.get(api + "/" + id);
        HttpResponse<String> put = server.json("PUT", api + "/" + id, json(sample.kind(), changed, 1L));
        HttpResponse<String> stalePut = server.json("PUT", api + "/" + id, json(sample.kind(), values, 1L));
        HttpResponse<String> noVersion = server.json("PUT", api + "/" + id, json(sample.kind(), values, null));
        HttpResponse<String> staleDelete = server.json("DELETE", api + "/" + id + "?version=1", null);
        HttpResponse<String> deleted = server.json("DELETE", api + "/" + id + "?version=2", null);

        assertThat(parse(read)).isEqualTo(record);
        assertHolds(record, values);
        assertThat(put.statusCode()).isEqualTo(200);
        assertHolds(parse(put), changed);
        assertThat(parse(put).get("version").asLong()).isEqualTo(2);
        assertThat(stalePut.statusCode()).isEqualTo(409);
        assertHolds(parse(stalePut).get("current"), changed);
        assertThat(noVersion.statusCode()).isEqualTo(422);
        assertThat(parse(noVersion).get("errors").has("version")).isTrue();
        assertThat(staleDelete.statusCode()).isEqualTo(409);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(server.get(api + "/" + id).statusCode()).isEqualTo(404);
        assertThat(server.json("DELETE", api + "/" + id, null).statusCode()).isEqualTo(404);
        assertThat(server.json("PUT", api + "/" + id, json(sample.kind(), values, 2L)).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void a_duplicate_of_a_unique_field_gives_422_on_the_form_and_409_on_the_api(Sample sample) {
        String path = "/" + sample.kind().path();
        for (Field<?> field : sample.kind().fields()) {
            if (!field.isUnique()) {
                continue;
            }
            Map<String, String> taken = values(sample);
            created(sample, taken);
            Map<String, String> again = new LinkedHashMap<>(values(sample));
            again.put(field.name(), taken.get(field.name()).toUpperCase(java.util.Locale.ROOT));

            HttpResponse<String> page = server.submit(path, path, again);
            HttpResponse<String> api = server.json("POST", "/api" + path, json(sample.kind(), again, null));

            assertThat(page.statusCode()).as(field.name()).isEqualTo(422);
            assertThat(page.body()).contains("id=\"" + field.name() + "-error\">" + field.duplicateMessage());
            assertThat(api.statusCode()).as(field.name()).isEqualTo(409);
            assertThat(parse(api).get("error").asText()).isEqualTo(field.duplicateMessage());
        }
    }

    @Test
    void two_taken_values_are_both_reported_in_one_answer_on_the_form_and_the_api() {
        Map<String, String> alice = Map.of("username", "ctq_alice", "email", "ctq.alice@example.org");
        created(sample(Users.KIND), alice);
        Map<String, String> again = Map.of("username", "CTQ_ALICE", "email", "CTQ.Alice@example.org");
        long other = created(sample(Users.KIND), Map.of("username", "ctq_bob", "email", "ctq.bob@example.org")).get("id").asLong();

        HttpResponse<String> page = server.submit("/users", "/users", again);
        HttpResponse<String> api = server.json("POST", "/api/users", json(Users.KIND, again, null));
        HttpResponse<String> edit = server.submit("/users/" + other + "/edit", "/users/" + other, withVersion(again, 1));
        HttpResponse<String> put = server.json("PUT", "/api/users/" + other, json(Users.KIND, again, 1L));

        assertThat(page.statusCode()).isEqualTo(422);
        assertThat(page.body()).contains("id=\"username-error\">Username is already taken",
                "id=\"email-error\">Email is already registered");
        assertThat(edit.statusCode()).isEqualTo(422);
        assertThat(edit.body()).contains("id=\"username-error\">", "id=\"email-error\">");
        for (HttpResponse<String> answer : List.of(api, put)) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
            JsonNode body = parse(answer);
            assertThat(body.get("error").asText()).isEqualTo("Username is already taken; Email is already registered");
        }
    }

    @Test
    void a_taken_value_is_reported_beside_another_fields_error_not_after_it_is_fixed() {
        created(sample(People.KIND), Map.of("name", "Ctq Taken Name", "born", "1950"));
        Map<String, String> both = Map.of("name", "CTQ TAKEN NAME", "born", "1700");

        HttpResponse<String> page = server.submit("/people", "/people", both);
        HttpResponse<String> api = server.json("POST", "/api/people", json(People.KIND, both, null));

        assertThat(page.statusCode()).isEqualTo(422);
        assertThat(page.body()).contains("id=\"name-error\">A person with this name already exists", "id=\"born-error\">Born must be");
        assertThat(api.statusCode()).isEqualTo(422);
        assertThat(parse(api).get("errors").get("name").get(0).asText()).isEqualTo("A person with this name already exists");
        assertThat(parse(api).get("errors").get("born").get(0).asText()).startsWith("Born must be");
    }

    private static Sample sample(Kind<?, ?> kind) {
        return kinds().filter(s -> s.kind() == kind).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void the_csv_export_has_the_declared_columns_and_each_record_as_a_row(Sample sample) {
        Kind<?, ?> kind = sample.kind();
        Map<String, String> values = values(sample);
        JsonNode record = created(sample, values);
        String first = values.get(kind.fields().get(0).name());

        HttpResponse<String> csv = server.get("/" + kind.path() + ".csv?q=" + java.net.URLEncoder.encode(first, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(csv.statusCode()).isEqualTo(200);
        String[] lines = csv.body().replace("\uFEFF", "").split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", kind.exportColumns()));
        List<String> cells = new ArrayList<>();
        for (String column : kind.exportColumns()) {
            cells.add(record.get(column).asText());
        }
        assertThat(lines).contains(String.join(",", cells));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void an_id_that_names_no_record_is_404_on_pages_and_api(Sample sample) {
        String path = "/" + sample.kind().path();
        for (String id : List.of("999999", "0", "-1", "abc", "1e3")) {
            assertThat(server.get(path + "/" + id).statusCode()).as(path + "/" + id).isEqualTo(404);
            HttpResponse<String> api = server.get("/api" + path + "/" + id);
            assertThat(api.statusCode()).isEqualTo(404);
            assertThat(parse(api).get("error").asText()).isEqualTo("No " + sample.kind().singular() + " with id " + id);
        }
    }

    private static long total(Sample sample) {
        return parse(server.get("/api/" + sample.kind().path())).get("total").asLong();
    }

    /**
     * A lone surrogate (JSON can escape one) and bytes that are not UTF-8 (which a form's decoding
     * turns into U+FFFD) used to be stored as "?" or "\uFFFD" without a word: each is a 422 on its field.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void text_that_is_not_valid_unicode_is_a_field_error_not_a_question_mark(Sample sample) {
        String path = "/" + sample.kind().path();
        long before = total(sample);
        for (Field<?> field : sample.kind().fields()) {
            if (field.isNumber()) {
                continue;
            }
            Map<String, String> values = values(sample);
            String value = values.get(field.name());
            String json = json(sample.kind(), values, null).replace("\"" + value + "\"", "\"" + value + "\\ud800\"");
            Map<String, String> others = new LinkedHashMap<>(values);
            others.remove(field.name());
            String form = TestServer.encode(others) + "&" + field.name() + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)
                    + "%ED%A0%80&_csrf=" + java.net.URLEncoder.encode(TestServer.csrfToken(server.get(path).body()), StandardCharsets.UTF_8);

            HttpResponse<String> api = server.json("POST", "/api" + path, json);
            HttpResponse<String> page = server.send(HttpRequest.newBuilder(server.uri(path))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());

            assertThat(api.statusCode()).as(field.name() + ": " + api.body()).isEqualTo(422);
            assertThat(parse(api).get("errors").get(field.name()).get(0).asText()).contains("must be valid Unicode text");
            assertThat(page.statusCode()).as(field.name()).isEqualTo(422);
            assertThat(page.body()).contains("id=\"" + field.name() + "-error\">" + field.label() + " must be valid Unicode text");
        }
        assertThat(total(sample)).isEqualTo(before);
    }

    @Test
    void a_body_that_is_not_json_is_400_with_a_plain_message_that_names_no_parser_internals() {
        List<String> bodies = List.of("[".repeat(2000), "{\"name\":" + "1".repeat(2000) + "}", "{} {}", "/* note */ {}",
                "{\"name\":", "{'name':'x'}", "{\"name\":\"\\x\"}", "{\"born\":NaN}", "{\"born\":01}", "{\"name\":\"a\u0001\"}",
                "\u00ff\u00fe{}", "{\"name\" \"x\"}", "{\"name\":tru}");

        for (String body : bodies) {
            HttpResponse<String> response = server.json("POST", "/api/people", body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(parse(response).get("error").asText()).as(body).startsWith("The body is not valid JSON: ")
                    .doesNotContain("`", "StreamReadConstraints", "com.fasterxml", "jackson", "Jackson", "Feature", "REDACTED", "Source",
                            "START_OBJECT", "JsonNode", "java.");
        }
    }
}
