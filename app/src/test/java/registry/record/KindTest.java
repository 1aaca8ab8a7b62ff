package registry.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import registry.db.Engine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import registry.movie.Movie;
import registry.movie.MovieForm;
import registry.movie.Movies;
import registry.person.People;
import registry.user.Users;

/** What a kind's declaration derives, and the mistakes it refuses when it is made. */
@Tag("sqlite-only")
class KindTest {
    record Studio(long id, String name, String country, Instant createdAt, Instant updatedAt, long version) implements Row {}

    record StudioForm(String name, String country) {}

    record StudioFormWithoutCountry(String name) {}

    private static Kind.Builder<Studio, StudioForm> studios() {
        return Kind.of("studios", "studio", "Studios", Studio.class, StudioForm.class)
                .field(Field.<Studio>text("name", "Name", Studio::name).folded().searched().unique("Taken").key());
    }

    @Test
    void sorts_tables_and_csv_columns_come_from_the_fields() {
        assertThat(Movies.KIND.sortable()).containsExactly("id", "title", "year", "created_at", "updated_at");
        assertThat(Movies.KIND.columns()).containsExactly("id", "title", "year", "created_at", "updated_at", "version");
        assertThat(Movies.KIND.exportColumns()).containsExactly("id", "title", "year", "created_at", "updated_at", "version", "directors");
        assertThat(Users.KIND.exportColumns()).isEqualTo(Users.KIND.columns());
        assertThat(Users.KIND.searchesIn()).isEqualTo("username or email");
        assertThat(Movies.KIND.naturalKey()).extracting(Field::name).containsExactly("title", "year");
        assertThat(People.KIND.dependentsNoun()).isEqualTo("credit");
    }

    @Test
    void a_folded_field_sorts_by_its_key_column_and_nothing_undeclared_reaches_order_by() {
        assertThat(Users.KIND.sortColumn("username")).isEqualTo("username_key");
        assertThat(Movies.KIND.sortColumn("year")).isEqualTo("year");
        assertThat(Movies.KIND.sortColumn("created_at")).isEqualTo("created_at");
        assertThatThrownBy(() -> Movies.KIND.sortColumn("version")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_record_becomes_a_form_a_csv_row_and_back_as_stored() {
        Instant now = Instant.parse("2026-12-01T10:15:30.120Z");
        Movie movie = new Movie(7, "=Alien", null, now, now, 3, "Ridley Scott");

        MovieForm form = Movies.KIND.form(movie);

        assertThat(form).isEqualTo(new MovieForm("=Alien", ""));
        assertThat(Movies.KIND.csvRow(movie))
                .containsExactly("7", "=Alien", "", "2026-12-01T10:15:30.120Z", "2026-12-01T10:15:30.120Z", "3", "Ridley Scott");
        assertThat(Movies.KIND.stored(7, new MovieForm("Alien", "1979"), now)).isEqualTo(new Movie(7, "Alien", 1979, now, now, 1, ""));
        assertThat(Movies.KIND.label(movie)).isEqualTo("=Alien");
    }

    @Test
    void a_new_kind_costs_its_declaration() {
        Kind<Studio, StudioForm> kind = studios().field(Field.<Studio>text("country", "Country", Studio::country)).build();

        assertThat(kind.sortable()).containsExactly("id", "name", "country", "created_at", "updated_at");
        assertThat(kind.emptyForm()).isEqualTo(new StudioForm("", ""));
        assertThat(new RecordSql(kind, Engine.SQLITE).insert).isEqualTo("""
                INSERT INTO studios (name, name_key, name_search, country, created_at, updated_at, version)
                VALUES (:name, :name_key, :name_search, :country, :now, :now, 1)""");
        assertThat(new RecordSql(kind, Engine.SQLITE).match).isEqualTo("(name_search LIKE :pattern ESCAPE '!')");
    }

    @Test
    void a_derived_value_is_read_with_the_record_and_computed_for_a_pages_slice_only_in_each_engines_sql() {
        RecordSql sqlite = new RecordSql(Movies.KIND, Engine.SQLITE);
        String directors = "COALESCE((SELECT group_concat(p.name, ', ' ORDER BY p.name_key) FROM credits c JOIN people p ON p.id = c.person_id"
                + " WHERE c.movie_id = %s AND c.role = 'director'), '') AS directors";

        assertThat(sqlite.find).isEqualTo("SELECT id, title, year, created_at, updated_at, version, " + directors.formatted("movies.id")
                + " FROM movies WHERE id = :id");
        assertThat(sqlite.findStored).isEqualTo("SELECT id, title, year, created_at, updated_at, version, NULL AS directors FROM movies WHERE id = :id");
        assertThat(sqlite.list).startsWith("SELECT slice.*, " + directors.formatted("slice.id") + " FROM (\n")
                .contains("SELECT id, title, year, created_at, updated_at, version, <sort> AS sort_key FROM movies\n", "LIMIT :limit OFFSET :offset) slice")
                .endsWith("ORDER BY slice.sort_key <order>, slice.id <order>");
        assertThat(sqlite.export).startsWith("SELECT id, title, year, created_at, updated_at, version, " + directors.formatted("movies.id"));
        assertThat(new RecordSql(Movies.KIND, Engine.POSTGRESQL).find).contains("string_agg(p.name, ', ' ORDER BY p.name_key)");
        assertThat(new RecordSql(Movies.KIND, Engine.MARIADB).find).contains("GROUP_CONCAT(p.name ORDER BY p.name_key SEPARATOR ', ')");
        RecordSql users = new RecordSql(Users.KIND, Engine.SQLITE);
        assertThat(users.list).isEqualTo(users.export).doesNotContain("slice");
    }

    @Test
    void a_row_or_form_that_does_not_match_the_fields_is_refused_when_declared() {
        assertThatThrownBy(() -> studios().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Studio has [id, name, country, created_at, updated_at, version]");
        assertThatThrownBy(() -> Kind.of("studios", "studio", "Studios", Studio.class, StudioFormWithoutCountry.class)
                .field(Field.<Studio>text("name", "Name", Studio::name).key())
                .field(Field.<Studio>text("country", "Country", Studio::country)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("StudioFormWithoutCountry has [name]");
        assertThatThrownBy(() -> Kind.of("studios", "studio", "Studios", Studio.class, StudioForm.class)
                .field(Field.<Studio>text("name", "Name", Studio::name).key())
                .field(Field.<Studio>year("country", "Country", Studio::country)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Studio.country is a String; its field stores a Integer");
        assertThatThrownBy(() -> Field.<Studio>text("name", "Name", Studio::name).searched())
                .hasMessageContaining("only a folded field can be searched");
        assertThatThrownBy(() -> Kind.of("studios", "studio", "Studios", Studio.class, StudioForm.class)
                .field(Field.<Studio>text("name", "Name", Studio::name))
                .field(Field.<Studio>text("country", "Country", Studio::country)).build())
                .hasMessageContaining("no folded field is part of the natural key");
        assertThatThrownBy(() -> studios().field(Field.<Studio>text("country", "Country", Studio::country))
                .derived("owner", "Owner", engine -> "SELECT 1").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Studio has [id, name, country, created_at, updated_at, version]; "
                        + "its kind declares [id, name, country, created_at, updated_at, version, owner]");
        assertThat(List.of(Users.KIND, People.KIND, Movies.KIND)).extracting(Kind::path).containsExactly("users", "people", "movies");
    }
}
