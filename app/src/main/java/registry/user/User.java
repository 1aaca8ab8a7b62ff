package registry.user;

import java.time.Instant;

/** A row of the users table. */
public record User(long id, String username, String email, Instant createdAt, Instant updatedAt, long version) {}
