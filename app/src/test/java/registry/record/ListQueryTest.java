package registry.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The list parameters: every value, however odd, falls back to something a list can show. */
@Tag("sqlite-only")
class ListQueryTest {
    private static final List<String> SORTABLE = List.of("id", "title", "year");

    private static ListQuery parse(String... pairs) {
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.put(pairs[i], pairs[i + 1]);
        }
        return ListQuery.from(parameters::get, SORTABLE, java.util.List.of());
    }

    @Test
    void nothing_asked_is_the_first_page_of_twenty_by_the_first_sortable_field_going_up() {
        assertThat(parse()).isEqualTo(new ListQuery("", "id", false, 1, 20));
    }

    @Test
    void known_values_are_taken_as_given() {
        assertThat(parse("q", " Alien ", "sort", "year", "order", "DESC", "page", "3", "size", "50"))
                .isEqualTo(new ListQuery("Alien", "year", true, 3, 50));
    }

    @Test
    void an_unknown_sort_or_order_falls_back_to_the_default() {
        assertThat(parse("sort", "title; DROP TABLE movies", "order", "sideways")).isEqualTo(new ListQuery("", "id", false, 1, 20));
    }

    @Test
    void numbers_out_of_bounds_go_to_the_nearest_bound_and_garbage_to_the_default() {
        assertThat(parse("page", "0", "size", "0")).extracting(ListQuery::page, ListQuery::size).containsExactly(1L, 1);
        assertThat(parse("page", "-5", "size", "1000")).extracting(ListQuery::page, ListQuery::size).containsExactly(1L, 100);
        assertThat(parse("page", "99999999999999999999999", "size", "-99999999999999999999"))
                .extracting(ListQuery::page, ListQuery::size).containsExactly(1_000_000_000L, 1);
        assertThat(parse("page", "two", "size", "1e3")).extracting(ListQuery::page, ListQuery::size).containsExactly(1L, 20);
    }

    @Test
    void the_offset_of_the_largest_page_does_not_overflow() {
        assertThat(parse("page", "99999999999999999999", "size", "100").offset()).isEqualTo(99_999_999_900L);
    }

    @Test
    void a_nul_in_the_search_is_dropped() {
        assertThat(parse("q", "al\u0000ien").q()).isEqualTo("alien");
    }

    @Test
    void links_keep_the_search_the_sort_the_order_and_a_size_other_than_the_default() {
        ListQuery query = parse("q", "a&b c", "sort", "title", "order", "desc", "size", "50", "page", "2");

        assertThat(query.pageLink(3)).isEqualTo("q=a%26b+c&sort=title&order=desc&size=50&page=3");
        assertThat(query.sortLink("title")).isEqualTo("q=a%26b+c&sort=title&order=asc&size=50&page=1");
        assertThat(query.sortLink("year")).isEqualTo("q=a%26b+c&sort=year&order=asc&size=50&page=1");
        assertThat(query.exportLink()).isEqualTo("q=a%26b+c&sort=title&order=desc");
        assertThat(parse().pageLink(2)).isEqualTo("sort=id&order=asc&page=2");
    }
}
