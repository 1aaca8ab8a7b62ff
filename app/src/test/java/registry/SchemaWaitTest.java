package registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.ServiceUnavailableResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a request that comes while the server starts waits for, and how long (StartWhileMigratingTest: the whole start). */
@Tag("sqlite-only")
class SchemaWaitTest {
    @Test
    void the_wait_ends_at_once_once_ready_and_in_a_503_when_too_long_or_after_a_failed_update() throws Exception {
        Server.awaitSchema(CompletableFuture.completedFuture(null), 0);

        CompletableFuture<Void> later = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> later.complete(null));
        long start = System.nanoTime();
        Server.awaitSchema(later, 30_000);
        assertThat(System.nanoTime() - start).as("waited for the update").isGreaterThanOrEqualTo(150_000_000L);

        assertThatThrownBy(() -> Server.awaitSchema(new CompletableFuture<>(), 50)).isInstanceOf(ServiceUnavailableResponse.class)
                .hasMessageContaining("is being brought up to date");
        assertThatThrownBy(() -> Server.awaitSchema(CompletableFuture.failedFuture(new IllegalStateException("no")), 50))
                .isInstanceOf(ServiceUnavailableResponse.class).hasMessageContaining("could not bring its database schema up to date");
    }
}
