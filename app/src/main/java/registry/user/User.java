package registry.user;

import java.time.Instant;
import registry.record.Row;

/** A row of the users table. */
public record User(long id, String username, String email, Instant createdAt, Instant updatedAt, long version) implements Row {}
