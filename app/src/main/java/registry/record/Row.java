package registry.record;

import java.time.Instant;

/** What every stored record has besides its fields: an id, its times and an optimistic-lock version. */
public interface Row {
    long id();

    Instant createdAt();

    Instant updatedAt();

    long version();
}
