package registry.record;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What a list computes from the whole of its records — a filtered total, facet counts, the keys
 * that start each stretch of a long list — kept until the data changes. The data version is the
 * history's head: every change of a record or credit writes an entry in its own transaction, and
 * every instance reads the same head, so an answer kept here is never older than the database an
 * instance reads. The most recently used views are kept. A view is computed once per version: the
 * requests that ask for it meanwhile wait for that answer rather than each counting a million
 * rows again right after a write.
 */
final class Versioned<K> {
    /** Views kept per kind by {@link Listing}: a few searches and filter combinations, each with a handful of values. */
    static final int KEPT = 256;

    private static final class Kept {
        final long version;
        final CompletableFuture<Object> value = new CompletableFuture<>();
        /** What the value counts against the budget, once computed. */
        long weight;

        Kept(long version) {
            this.version = version;
        }
    }

    private final Map<K, Kept> kept = new LinkedHashMap<>(64, 0.75f, true);
    private final long budget;
    private final ToLongFunction<Object> weigher;
    private long weight;

    /** Keeps what its values weigh ({@code weigher}) up to {@code budget}, dropping the least recently used first. */
    Versioned(long budget, ToLongFunction<Object> weigher) {
        this.budget = budget;
        this.weigher = weigher;
    }

    /** Keeps the {@code entries} most recently used values. */
    Versioned(int entries) {
        this(entries, value -> 1);
    }

    /** The value of {@code key} at {@code version}: kept, being computed by another request, or computed now and kept. */
    @SuppressWarnings("unchecked")
    <T> T get(K key, long version, Supplier<T> compute) {
        Kept mine;
        synchronized (kept) {
            Kept found = kept.get(key);
            if (found != null && found.version >= version) {
                return (T) join(found.value);
            }
            mine = new Kept(version);
            drop(kept.put(key, mine));
        }
        T value;
        try {
            value = compute.get();
        } catch (RuntimeException | Error e) {
            // Not kept: the next request tries again rather than meeting this failure.
            synchronized (kept) {
                if (kept.remove(key, mine)) {
                    drop(mine);
                }
            }
            mine.value.completeExceptionally(e);
            throw e;
        }
        mine.value.complete(value);
        synchronized (kept) {
            if (kept.get(key) == mine) {
                mine.weight = weigher.applyAsLong(value);
                weight += mine.weight;
                for (var eldest = kept.entrySet().iterator(); weight > budget && eldest.hasNext(); ) {
                    Kept old = eldest.next().getValue();
                    if (old != mine) {
                        eldest.remove();
                        drop(old);
                    }
                }
            }
        }
        return value;
    }

    /** Takes a value no longer kept off the budget. */
    private void drop(Kept old) {
        if (old != null) {
            weight -= old.weight;
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
