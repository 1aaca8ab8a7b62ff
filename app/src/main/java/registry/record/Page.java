package registry.record;

import java.util.List;

/** One page of a list, with what its template needs for navigation. */
public record Page<T>(List<T> items, ListQuery query, long total) {

    public long pageCount() {
        return Math.max(1, (total + query.size() - 1) / query.size());
    }

    public boolean hasPrevious() {
        return query.page() > 1;
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
