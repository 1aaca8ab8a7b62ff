package registry.record;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * What a list asks for: search text, sort field, order, page and page size. Parsing never fails:
 * an unknown sort or order falls back to the default, numbers to the nearest bound, so no value
 * of any parameter can make a list answer 5xx.
 */
public record ListQuery(String q, String sort, boolean descending, long page, int size) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    /** Far past any real table, small enough that (page - 1) * size cannot overflow. */
    private static final long MAX_PAGE = 1_000_000_000L;

    /**
     * Reads the query parameters ({@code parameter} gives each by name, null when absent);
     * {@code sortable} lists the allowed sort fields, the first is the default.
     */
    public static ListQuery from(Function<String, String> parameter, List<String> sortable) {
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
        return new ListQuery(q, sort, descending, page, size);
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

    public String order() {
        return descending ? "desc" : "asc";
    }

    public long offset() {
        return (page - 1) * size;
    }

    /** The query string of page {@code n} of this same view. */
    public String pageLink(long n) {
        return link(sort, descending, n);
    }

    /** The query string of the CSV export of this same view: every page. */
    public String exportLink() {
        StringBuilder link = new StringBuilder();
        if (searching()) {
            link.append("q=").append(URLEncoder.encode(q, StandardCharsets.UTF_8)).append('&');
        }
        return link.append("sort=").append(URLEncoder.encode(sort, StandardCharsets.UTF_8)).append("&order=").append(order()).toString();
    }

    /** The query string sorting by {@code field}: ascending, or flipped when already sorted by it. */
    public String sortLink(String field) {
        return link(field, field.equals(sort) && !descending, 1);
    }

    private String link(String sortField, boolean desc, long n) {
        StringBuilder link = new StringBuilder();
        if (searching()) {
            link.append("q=").append(URLEncoder.encode(q, StandardCharsets.UTF_8)).append('&');
        }
        link.append("sort=").append(URLEncoder.encode(sortField, StandardCharsets.UTF_8))
                .append("&order=").append(desc ? "desc" : "asc");
        if (size != DEFAULT_SIZE) {
            link.append("&size=").append(size);
        }
        return link.append("&page=").append(n).toString();
    }
}
