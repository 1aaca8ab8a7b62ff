package registry.movie;

import java.time.Instant;
import registry.record.Row;

/** A row of the movies table; {@code year} is null when unknown. */
public record Movie(long id, String title, Integer year, Instant createdAt, Instant updatedAt, long version) implements Row {}
