package registry.account;

import java.time.Instant;
import registry.access.Role;

/** An account as stored, without its password hash. */
public record Account(long id, String username, String role, Instant disabledAt, Instant lastSignInAt, Instant createdAt,
                      Instant updatedAt, long version) {
    public Role access() {
        return Role.parse(role).orElse(Role.VIEWER);
    }

    public boolean enabled() {
        return disabledAt == null;
    }
}
