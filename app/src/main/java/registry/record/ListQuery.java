package registry.record;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a list asks for: search text, sort field, order, page and page size, and the values of its
 * kind's filters by parameter (only those a filter accepts, in declared order). Parsing never
 * fails: an unknown sort or order falls back to the default, numbers to the nearest bound, a filter
 * value of no use is dropped, so no value of any parameter can make a list answer 5xx.
 */
public record ListQuery(String q, String sort, boolean descending, long page, int size, Map<String, String> filters) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    /** Far past any real table, small enough that (page - 1) * size cannot overflow. */
    private static final long MAX_PAGE = 1_000_000_000L;

    public ListQuery {
        filters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    }

    /** A query without filters. */
    public ListQuery(String q, String sort, boolean descending, long page, int size) {
        this(q, sort, descending, page, size, Map.of());
    }

    /**
     * Reads the query parameters ({@code parameter} gives each by name, null when absent);
     * {@code sortable} lists the allowed sort fields, the first is the default; {@code filters}
     * are the kind's.
     */
    public static ListQuery from(Function<String, String> parameter, List<String> sortable, List<Filter> filters) {
        String q = parameter.apply("q");
        // No stored text holds a NUL (refused on input; PostgreSQL cannot even compare with one).
        q = q == null ? "" : q.replace("\u0000", "").strip();
        String sort = parameter.apply("sort");
        if (sort == null || !sortable.contains(sort)) {
            sort = sortable.get(0);
        }
        boolean descending = "desc".equalsIgnoreCase(parameter.apply("order"));
        long page = clamp(parse(parameter.apply("page"), 1), 1, MAX_PAGE);
        int size = (int) clamp(parse(parameter.apply("size"), DEFAULT_SIZE), 1, MAX_SIZE);
        Map<String, String> values = new LinkedHashMap<>();
        for (Filter filter : filters) {
            String value = parameter.apply(filter.parameter());
            if (value != null) {
                filter.normalized(value.strip()).ifPresent(normal -> values.put(filter.parameter(), normal));
            }
        }
        return new ListQuery(q, sort, descending, page, size, values);
    }

    private static long parse(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        String digits = value.strip();
        if (!digits.matches("-?\\d{1,30}")) {
            return fallback;
        }
        // Anything too long for a long is far past either bound; keep its sign.
        return digits.length() > 18 ? (digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE) : Long.parseLong(digits);
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    public boolean searching() {
        return !q.isEmpty();
    }

    /** Whether a search or a filter narrows the list. */
    public boolean narrowed() {
        return searching() || !filters.isEmpty();
    }

    /** The value of the filter {@code parameter}, or "" when the list is not filtered by it (templates call this). */
    public String filter(String parameter) {
        return filters.getOrDefault(parameter, "");
    }

    public String order() {
        return descending ? "desc" : "asc";
    }

    public long offset() {
        return (page - 1) * size;
    }

    /** The query string of page {@code n} of this same view. */
    public String pageLink(long n) {
        return link(filters, sort, descending, n);
    }

    /** The query string of the CSV export of this same view: every page. */
    public String exportLink() {
        return narrowing(filters).append("sort=").append(encode(sort)).append("&order=").append(order()).toString();
    }

    /** The first page of this view with the filter {@code parameter} set to {@code value} (a facet's link). */
    public String filterLink(String parameter, String value) {
        Map<String, String> changed = new LinkedHashMap<>(filters);
        changed.put(parameter, value);
        return link(changed, sort, descending, 1);
    }

    /** The first page of this view without the filter {@code parameter}. */
    public String withoutLink(String parameter) {
        Map<String, String> changed = new LinkedHashMap<>(filters);
        changed.remove(parameter);
        return link(changed, sort, descending, 1);
    }

    /** The query string sorting by {@code field}: ascending, or flipped when already sorted by it. */
    public String sortLink(String field) {
        return link(filters, field, field.equals(sort) && !descending, 1);
    }

    /** {@code q=…&} and each filter's {@code name=value&}: what narrows the view, kept in every link. */
    private StringBuilder narrowing(Map<String, String> values) {
        StringBuilder link = new StringBuilder();
        if (searching()) {
            link.append("q=").append(encode(q)).append('&');
        }
        values.forEach((name, value) -> link.append(name).append('=').append(encode(value)).append('&'));
        return link;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private String link(Map<String, String> values, String sortField, boolean desc, long n) {
        StringBuilder link = narrowing(values);
        link.append("sort=").append(encode(sortField)).append("&order=").append(desc ? "desc" : "asc");
        if (size != DEFAULT_SIZE) {
            link.append("&size=").append(size);
        }
        return link.append("&page=").append(n).toString();
    }
}
