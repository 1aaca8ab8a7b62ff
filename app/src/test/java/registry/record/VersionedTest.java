package registry.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Views kept per data version: computed once per version, even when asked for at once. */
class VersionedTest {
    private final Versioned<String> kept = new Versioned<>(Versioned.KEPT);
    private final AtomicInteger computed = new AtomicInteger();

    @Test
    void a_view_asked_for_while_it_is_being_computed_waits_for_that_answer() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> kept.get("facets", 7, () -> {
            started.countDown();
            await(release);
            return computed.incrementAndGet() * 100;
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> kept.get("facets", 7, () -> computed.incrementAndGet() * 100));
        Thread.sleep(100);
        assertThat(second).isNotDone();

        release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(100);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(100);
        assertThat(computed).hasValue(1);
    }

    @Test
    void a_new_version_computes_again_and_an_older_one_is_served_the_newer_answer() {
        assertThat(kept.get("total", 1, () -> computed.incrementAndGet())).isEqualTo(1);
        assertThat(kept.get("total", 1, () -> computed.incrementAndGet())).isEqualTo(1);
        assertThat(kept.get("total", 2, () -> computed.incrementAndGet())).isEqualTo(2);
        // A request that read the head just before the last write: the newer count is no less true for it.
        assertThat(kept.get("total", 1, () -> computed.incrementAndGet())).isEqualTo(2);
    }

    @Test
    void a_failure_is_not_kept_the_next_request_computes_again() {
        assertThatThrownBy(() -> kept.get("keys", 3, () -> {
            throw new IllegalStateException("the database went away");
        })).hasMessage("the database went away");

        assertThat(kept.get("keys", 3, () -> computed.incrementAndGet())).isEqualTo(1);
    }

    @Test
    void beyond_its_budget_the_least_recently_used_views_are_dropped() {
        Versioned<String> pages = new Versioned<>(10, page -> ((String) page).length());
        pages.get("a", 1, () -> "aaaa");
        pages.get("b", 1, () -> "bbbb");
        pages.get("a", 1, () -> "not again");
        pages.get("c", 1, () -> "cccc"); // 12 > 10: b, the least recently used, goes

        assertThat(pages.<String>get("a", 1, () -> "made again")).isEqualTo("aaaa");
        assertThat(pages.<String>get("c", 1, () -> "made again")).isEqualTo("cccc");
        assertThat(pages.<String>get("b", 1, () -> "made again")).isEqualTo("made again");
        // One that alone outweighs the budget is served, and kept until the next one comes.
        assertThat(pages.<String>get("big", 1, () -> "x".repeat(50))).hasSize(50);
        assertThat(pages.<String>get("big", 1, () -> "made again")).hasSize(50);
        assertThat(pages.<String>get("a", 1, () -> "made again")).isEqualTo("made again");
    }

    @Test
    void a_kept_page_weighs_the_heap_its_characters_take() {
        assertThat(Records.heapBytes("Zoë Müller")).isEqualTo(10); // Latin-1: a byte a character
        assertThat(Records.heapBytes("Zoë — Ελένη")).isEqualTo(22); // one character beyond it: two bytes each
        Versioned<String> pages = new Versioned<>(20, page -> Records.heapBytes((String) page));
        pages.get("latin", 1, () -> "a".repeat(8));
        pages.get("greek", 1, () -> "λ".repeat(8)); // 8 + 16 > 20: the Latin-1 page, least recently used, goes
        assertThat(pages.<String>get("latin", 1, () -> "made again")).isEqualTo("made again");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
