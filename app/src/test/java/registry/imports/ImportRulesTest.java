package registry.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static registry.imports.ImportClient.counts;
import static registry.imports.ImportClient.errors;
import static registry.imports.ImportClient.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import registry.support.TestServer;

/** SPEC "Import": the forms' rules, duplicates, matching by id and natural key, credits by ids or names, all or nothing. */
class ImportRulesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final ImportClient imports = new ImportClient(server);

    @Test
    void a_second_row_with_the_same_key_ignoring_case_is_same_as_the_first_line() {
        String before = imports.state();

        HttpResponse<String> users = imports.post("users", "username,email\n"
                + "dup_first,dup_first@example.org\n"
                + "other_one,other_one@example.org\n"
                + "DUP_First,changed@example.org\n"
                + "dup_third,DUP_FIRST@EXAMPLE.ORG\n");
        HttpResponse<String> people = imports.post("people", "name\nÉmile Dupont\nÉMILE DUPONT\n");
        HttpResponse<String> movies = imports.post("movies", "title,year\nDup Movie,2001\ndup movie,2001\nDup Movie,2002\n");

        assertThat(errors(users)).containsExactly("line 4: same as line 2", "line 5: email: same as line 2");
        assertThat(errors(people)).containsExactly("line 3: same as line 2");
        assertThat(errors(movies)).as("another year is another movie").containsExactly("line 3: same as line 2");
        assertThat(imports.state()).isEqualTo(before);
    }

    @Test
    void a_row_with_an_id_given_twice_is_same_as_the_first_line() {
        long id = imports.create("people", "{\"name\":\"Twice By Id\"}");

        HttpResponse<String> response = imports.post("people", "id,name\n" + id + ",Twice By Id\n" + id + ",Twice By Id Again\n");

        assertThat(errors(response)).containsExactly("line 3: id: same as line 2");
    }

    @Test
    void a_value_another_record_holds_is_refused_with_the_forms_message() {
        imports.create("users", "{\"username\":\"holder\",\"email\":\"holder@example.org\"}");
        long other = imports.create("users", "{\"username\":\"other_holder\",\"email\":\"other@example.org\"}");
        imports.create("people", "{\"name\":\"Agnès Varda\"}");
        long person = imports.create("people", "{\"name\":\"Someone Else\"}");
        String before = imports.state();

        HttpResponse<String> users = imports.post("users", "id,username,email\n"
                + ",new_holder,HOLDER@example.org\n"
                + other + ",Holder,other@example.org\n");
        HttpResponse<String> people = imports.post("people", "id,name\n" + person + ",AGNÈS VARDA\n");

        assertThat(errors(users)).containsExactly("line 2: email: Email is already registered", "line 3: username: Username is already taken");
        assertThat(errors(people)).containsExactly("line 2: name: A person with this name already exists");
        assertThat(imports.state()).isEqualTo(before);
    }

    @Test
    void every_rule_of_the_forms_holds_row_by_row() {
        String before = imports.state();

        HttpResponse<String> users = imports.post("users", "username,email\nab,ab@example.org\nno spaces,x@example.org\n"
                + "fine_user,not-an-address\nfine_two,\n");
        HttpResponse<String> people = imports.post("people", "name,born\n" + "n".repeat(81) + ",\nFuture Born," + (java.time.Year.now().getValue() + 1)
                + "\nWords Born,nineteen\n");
        HttpResponse<String> movies = imports.post("movies", "title,year\n\"   \",2000\n" + "t".repeat(201) + ",\n");

        assertThat(errors(users)).containsExactly("line 2: username: Username must be 3 to 50 characters long",
                "line 3: username: Username may contain only letters, digits and the characters _ . -",
                "line 4: email: Email must be a valid address, such as name@example.org",
                "line 5: email: Email is required");
        String born = "Born must be a year from 1800 to " + java.time.Year.now().getValue();
        assertThat(errors(people)).containsExactly("line 2: name: Name must be at most 80 characters long",
                "line 3: born: " + born, "line 4: born: " + born);
        assertThat(errors(movies)).containsExactly("line 2: title: Title is required",
                "line 3: title: Title must be at most 200 characters long");
        assertThat(imports.state()).isEqualTo(before);
    }

    @Test
    void an_id_updates_its_record_or_creates_one_with_it_and_new_ids_come_after() {
        long existing = imports.create("movies", "{\"title\":\"By Id\",\"year\":1990}");
        long free = existing + 1000;

        assertThat(counts(imports.post("movies", "id,title,year\n" + existing + ",By Id Renamed,1990\n" + free + ",Given Id,1991\n")))
                .containsExactly(1L, 1L, 0L);

        assertThat(imports.record("movies", existing).get("title").asText()).isEqualTo("By Id Renamed");
        assertThat(imports.record("movies", free).get("title").asText()).isEqualTo("Given Id");
        assertThat(imports.record("movies", free).get("version").asInt()).isEqualTo(1);
        assertThat(imports.create("movies", "{\"title\":\"After The Given Id\"}")).as("the next id is past the given one").isGreaterThan(free);
    }

    @Test
    void the_count_an_import_catches_up_stays_exact_after_a_refused_import_a_dry_run_and_later_writes() {
        // The count trigger is off during an import (SQLite, PostgreSQL) and the count caught up at its end.
        long before = imports.total("movies");

        errors(imports.post("movies", "title,year\nCounted Fine,2001\n,2002\n"));
        counts(imports.dryRun("movies", "title,year\nCounted Dry,2003\n"));
        assertThat(imports.total("movies")).as("refused and dry run").isEqualTo(before);

        assertThat(counts(imports.post("movies", "title,year\nCounted One,2004\nCounted Two,2005\n"))).containsExactly(2L, 0L, 0L);
        long made = imports.create("movies", "{\"title\":\"Counted By Form\"}");
        assertThat(server.json("DELETE", "/api/movies/" + made, null).statusCode()).isEqualTo(204);
        imports.create("movies", "{\"title\":\"Counted By Form Too\"}");

        assertThat(imports.total("movies")).isEqualTo(before + 3);
        long rows = server.db.database.read(h -> h.createQuery("SELECT count(*) FROM movies").mapTo(Long.class).one());
        assertThat(rows).as("the rows themselves").isEqualTo(before + 3);
    }

    @Test
    void a_stale_version_is_refused_and_the_current_one_taken() {
        long id = imports.create("users", "{\"username\":\"versioned\",\"email\":\"v1@example.org\"}");
        server.json("PUT", "/api/users/" + id, "{\"username\":\"versioned\",\"email\":\"v2@example.org\",\"version\":1}");
        String before = imports.state();

        HttpResponse<String> stale = imports.post("users", "id,username,email,version\n" + id + ",versioned,v3@example.org,1\n");
        HttpResponse<String> bad = imports.post("users", "id,username,email,version\n" + id + ",versioned,v3@example.org,two\n");

        assertThat(errors(stale)).containsExactly("line 2: version: version 1 is stale: the user is at version 2");
        assertThat(errors(bad)).containsExactly("line 2: version: version must be a whole number above 0");
        assertThat(imports.state()).isEqualTo(before);
        assertThat(counts(imports.post("users", "id,username,email,version\n" + id + ",versioned,v3@example.org,2\n")))
                .containsExactly(0L, 1L, 0L);
        assertThat(imports.record("users", id).get("version").asInt()).isEqualTo(3);
    }

    @Test
    void without_an_id_a_row_matches_its_natural_key_ignoring_case() {
        long user = imports.create("users", "{\"username\":\"Key_User\",\"email\":\"key_user@example.org\"}");
        long person = imports.create("people", "{\"name\":\"Émile Key\",\"born\":1900}");
        long movie = imports.create("movies", "{\"title\":\"Key Movie\",\"year\":1950}");
        long noYear = imports.create("movies", "{\"title\":\"Key Movie\"}");
        long usersBefore = imports.total("users");

        assertThat(counts(imports.post("users", "username,email\nkey_user,KEY_USER@example.org\n"))).containsExactly(0L, 1L, 0L);
        assertThat(counts(imports.post("people", "name,born\nÉMILE KEY,1901\n"))).containsExactly(0L, 1L, 0L);
        assertThat(counts(imports.post("movies", "title,year\nKEY MOVIE,1950\nkey movie,\nKey Movie,1951\n"))).containsExactly(1L, 2L, 0L);

        assertThat(imports.total("users")).isEqualTo(usersBefore);
        assertThat(imports.record("users", user).get("email").asText()).isEqualTo("KEY_USER@example.org");
        assertThat(imports.record("users", user).get("username").asText()).as("the case of the key is the file's")
                .isEqualTo("key_user");
        assertThat(imports.record("people", person).get("born").asInt()).isEqualTo(1901);
        assertThat(imports.record("movies", movie).get("title").asText()).isEqualTo("KEY MOVIE");
        assertThat(imports.record("movies", noYear).get("title").asText()).isEqualTo("key movie");
    }

    @Test
    void two_records_with_one_natural_key_ask_for_the_id() {
        long first = imports.create("movies", "{\"title\":\"Remade\",\"year\":2010}");
        long second = imports.create("movies", "{\"title\":\"Remade\",\"year\":2010}");

        HttpResponse<String> response = imports.post("movies", "title,year\nremade,2010\n");

        assertThat(errors(response)).containsExactly("line 2: 2 movies have this title and year (ids " + first + ", " + second
                + "): give the id of the one to update");
    }

    @Test
    void a_column_left_out_keeps_the_records_value() {
        long person = imports.create("people", "{\"name\":\"Kept Born\",\"born\":1930}");

        assertThat(counts(imports.post("people", "id,name\n" + person + ",Kept Born Renamed\n"))).containsExactly(0L, 1L, 0L);

        JsonNode record = imports.record("people", person);
        assertThat(record.get("name").asText()).isEqualTo("Kept Born Renamed");
        assertThat(record.get("born").asInt()).isEqualTo(1930);
    }

    @Test
    void an_unknown_or_missing_column_is_one_error_on_line_one() {
        String before = imports.state();

        HttpResponse<String> unknown = imports.post("users", "username,email,nickname\nx_user,x@example.org,X\n");
        HttpResponse<String> missing = imports.post("users", "username\nx_user\n");
        HttpResponse<String> credits = imports.post("credits", "movie_id,role\n1,actor\n");

        assertThat(errors(unknown)).containsExactly("line 1: Unknown column \"nickname\": users have the columns id, username, email, version");
        assertThat(errors(missing)).containsExactly("line 1: Missing column \"email\": every user needs one");
        assertThat(errors(credits)).containsExactly(
                "line 1: Missing column \"person_id\" or \"person_name\": every credit names its person");
        assertThat(imports.state()).isEqualTo(before);
    }

    @Test
    void credits_come_in_by_ids_or_by_names_and_an_existing_one_is_unchanged() {
        long movie = imports.create("movies", "{\"title\":\"Cléo de 5 à 7\",\"year\":1962}");
        long person = imports.create("people", "{\"name\":\"Corinne Marchand\"}");
        long other = imports.create("people", "{\"name\":\"Antoine Bourseiller\"}");
        server.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":" + other + ",\"role\":\"actor\"}");
        long head = imports.historyHead();

        HttpResponse<String> response = imports.post("credits", "movie_id,movie_title,movie_year,person_id,person_name,role\n"
                + movie + ",,," + person + ",,actor\n"
                + ",CLÉO DE 5 À 7,1962,,corinne marchand,producer\n"
                + movie + ",Cléo de 5 à 7,1962," + other + ",Antoine Bourseiller,actor\n");

        assertThat(counts(response)).containsExactly(2L, 0L, 1L);
        JsonNode credits = json(server.get("/api/movies/" + movie + "/credits")).get("items");
        assertThat(credits.findValuesAsText("role")).containsExactlyInAnyOrder("actor", "producer", "actor");
        java.util.List<JsonNode> entries = imports.entriesAfter(head);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("kind").asText()).isEqualTo("credits");
        assertThat(entries.get(0).get("via").asText()).isEqualTo("import");
        assertThat(entries.get(0).get("label").asText()).isEqualTo("Corinne Marchand — actor — Cléo de 5 à 7");
        assertThat(entries.get(1).get("import_id").asText()).isEqualTo(entries.get(0).get("import_id").asText());
    }

    @Test
    void a_credit_naming_what_does_not_exist_or_disagrees_with_itself_is_refused() {
        long movie = imports.create("movies", "{\"title\":\"Sans toit ni loi\",\"year\":1985}");
        long person = imports.create("people", "{\"name\":\"Sandrine Bonnaire\"}");
        imports.create("people", "{\"name\":\"Macha Méril\"}");
        String before = imports.state();

        HttpResponse<String> response = imports.post("credits", "movie_id,movie_title,movie_year,person_id,person_name,role\n"
                + movie + ",,," + person + ",,actor\n"
                + "999999,,," + person + ",,actor\n"
                + movie + ",,,999999,,actor\n"
                + ",Sans toit ni loi,1986," + person + ",,writer\n"
                + ",,," + person + ",,writer\n"
                + movie + ",,,,Nobody Known,writer\n"
                + movie + ",Other Title,1985," + person + ",,writer\n"
                + movie + ",,," + person + ",Macha Méril,writer\n"
                + movie + ",,," + person + ",,grip\n"
                + movie + ",,," + person + ",sandrine BONNAIRE,actor\n"
                + ",Sans toit ni loi,85 A," + person + ",,writer\n");

        assertThat(errors(response)).containsExactly(
                "line 3: movie_id: No movie with id 999999",
                "line 4: person_id: No person with id 999999",
                "line 5: movie_title: No movie \"Sans toit ni loi\" (1986)",
                "line 6: movie_id: Name the movie: a movie_id, or a movie_title and movie_year",
                "line 7: person_name: No person named \"Nobody Known\"",
                "line 8: movie_title: movie " + movie + " is \"Sans toit ni loi\" (1985), not \"Other Title\" (1985)",
                "line 9: person_name: person " + person + " is \"Sandrine Bonnaire\", not \"Macha Méril\"",
                "line 10: role: Role must be one of director, writer, actor, producer",
                "line 11: same as line 2",
                "line 12: movie_year: movie_year must be a year");
        assertThat(json(response).get("invalid").asLong()).isEqualTo(10);
        assertThat(imports.state()).as("the valid first row is not kept either").isEqualTo(before);
    }

    @Test
    void an_export_imported_into_an_empty_database_gives_the_same_records_with_the_same_ids(@TempDir Path dir) {
        long user = imports.create("users", "{\"username\":\"exported_user\",\"email\":\"exported@example.org\"}");
        long person = imports.create("people", "{\"name\":\"Exported Person\",\"born\":1920}");
        long movie = imports.create("movies", "{\"title\":\"=Exported, \\\"Movie\\\"\",\"year\":1970}");
        server.json("POST", "/api/movies/" + movie + "/credits", "{\"person_id\":" + person + ",\"role\":\"director\"}");
        long spacer = imports.create("movies", "{\"title\":\"Exported Spacer\"}");
        assertThat(server.json("DELETE", "/api/movies/" + spacer, null).statusCode()).as("a gap in the ids").isEqualTo(204);

        try (TestServer empty = TestServer.start(TestServer.config(dir))) {
            ImportClient target = new ImportClient(empty);
            for (String kind : new String[] {"users", "people", "movies", "credits"}) {
                byte[] export = server.browser.send(HttpRequest.newBuilder(server.uri("/" + kind + ".csv")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
                assertThat(target.post(kind, "", export).statusCode()).as(kind).isEqualTo(200);
            }

            for (String kind : new String[] {"users", "people", "movies"}) {
                assertThat(target.total(kind)).as(kind).isEqualTo(imports.total(kind));
            }
            for (String[] record : new String[][] {{"users", "" + user}, {"people", "" + person}, {"movies", "" + movie}}) {
                JsonNode copy = target.record(record[0], Long.parseLong(record[1]));
                JsonNode original = imports.record(record[0], Long.parseLong(record[1]));
                for (String field : new String[] {"id", "username", "email", "name", "born", "title", "year"}) {
                    assertThat(String.valueOf(copy.get(field))).as(record[0] + "." + field).isEqualTo(String.valueOf(original.get(field)));
                }
            }
            assertThat(empty.get("/api/movies/" + movie + "/credits").body())
                    .isEqualTo(server.get("/api/movies/" + movie + "/credits").body());
            assertThat(empty.get("/credits.csv").body()).isEqualTo(server.get("/credits.csv").body());
            assertThat(target.create("movies", "{\"title\":\"Made After The Copy\"}")).as("new ids follow the copied ones")
                    .isGreaterThan(movie);
        }
    }
}
