package registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Reading the tables a rollback would drop or empty from its SQL, as each engine's SQL writes them. */
@Tag("sqlite-only")
class AtRiskTest {
    @Test
    void drops_deletes_and_truncates_are_found_quoted_or_qualified_and_trigger_kept_tables_left_out() {
        String sql = """
                DROP TRIGGER users_counted_insert;
                DROP TABLE people;
                DELETE FROM record_counts WHERE name = 'people';
                drop table if exists "public"."movies";
                TRUNCATE TABLE `credits`;
                DROP TABLE users_search;
                DELETE FROM public.databasechangelog WHERE ID = '0007-create-movies';
                DROP INDEX movies_title_key_ix;
                """;

        assertThat(AtRisk.tablesLosingRows(sql)).containsExactly("people", "movies", "credits");
    }
}
