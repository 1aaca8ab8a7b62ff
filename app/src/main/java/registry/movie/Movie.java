package registry.movie;

import java.time.Instant;
import registry.record.Row;

/**
 * A row of the movies table; {@code year} is null when unknown. {@code directors} is derived from
 * the credits (names, comma-separated, "" when none; null where a read leaves it out, as an import does).
 */
public record Movie(long id, String title, Integer year, Instant createdAt, Instant updatedAt, long version, String directors)
        implements Row {}
