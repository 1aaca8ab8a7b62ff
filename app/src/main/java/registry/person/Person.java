package registry.person;

import java.time.Instant;
import registry.record.Row;

/** A row of the people table; {@code born} is a year, or null when unknown. */
public record Person(long id, String name, Integer born, Instant createdAt, Instant updatedAt, long version) implements Row {}
