package registry.record;

import java.util.List;
import java.util.Map;

/**
 * One page of a list, with what its template needs for navigation, the API's cursor of the page
 * after it (null on the last) and, when asked for, the facet counts of its view (by facet, then
 * value; else empty).
 */
public record Page<T>(List<T> items, ListQuery query, long total, String next, Map<String, Map<String, Long>> facets) {

    public long pageCount() {
        return Math.max(1, (total + query.size() - 1) / query.size());
    }

    /** Whether the page asked for comes after the last one: it shows nothing but the way back. */
    public boolean pastEnd() {
        return query.page() > pageCount();
    }

    /** A Previous link only where the previous page has records: past the end, the way back is the last page. */
    public boolean hasPrevious() {
        return query.page() > 1 && !pastEnd();
    }

    public boolean hasNext() {
        return query.page() < pageCount();
    }

    /** 1-based position of the first item shown, 0 when none. */
    public long firstShown() {
        return items.isEmpty() ? 0 : query.offset() + 1;
    }

    public long lastShown() {
        return query.offset() + items.size();
    }
}
