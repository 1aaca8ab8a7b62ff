package registry.access;

import java.util.Locale;
import java.util.Optional;

/** What an account may do; each role may do all that the ones before it may (SPEC "Accounts and access"). */
public enum Role {
    VIEWER, EDITOR, ADMIN;

    /** As stored and typed: "viewer", "editor", "admin". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Optional<Role> parse(String text) {
        for (Role role : values()) {
            if (role.id().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id();
    }
}
