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
    private final Versioned kept = new Versioned();
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

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
