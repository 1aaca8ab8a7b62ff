package registry.record;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * What a list computes from the whole of its records — a filtered total, facet counts, the keys
 * that start each stretch of a long list — kept until the data changes. The data version is the
 * history's head: every change of a record or credit writes an entry in its own transaction, and
 * every instance reads the same head, so an answer kept here is never older than the database an
 * instance reads. The most recently used views are kept. A view is computed once per version: the
 * requests that ask for it meanwhile wait for that answer rather than each counting a million
 * rows again right after a write.
 */
final class Versioned {
    /** Views kept per kind: a few searches and filter combinations, each with a handful of values. */
    private static final int KEPT = 256;

    private record Kept(long version, CompletableFuture<Object> value) {}

    private final Map<String, Kept> kept = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > KEPT;
        }
    };

    /** The value of {@code key} at {@code version}: kept, being computed by another request, or computed now and kept. */
    @SuppressWarnings("unchecked")
    <T> T get(String key, long version, Supplier<T> compute) {
        Kept mine;
        synchronized (kept) {
            Kept found = kept.get(key);
            if (found != null && found.version() >= version) {
                return (T) join(found.value());
            }
            mine = new Kept(version, new CompletableFuture<>());
            kept.put(key, mine);
        }
        try {
            T value = compute.get();
            mine.value().complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            // Not kept: the next request tries again rather than meeting this failure.
            synchronized (kept) {
                kept.remove(key, mine);
            }
            mine.value().completeExceptionally(e);
            throw e;
        }
    }

    /** The value another request computes; its failure, if it fails, as it was thrown there. */
    private static Object join(CompletableFuture<Object> value) {
        try {
            return value.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
