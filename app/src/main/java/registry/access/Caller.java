package registry.access;

/**
 * Who is asking, as a session or an API token proves it: the account, its role now, and how it
 * came. A {@code read} token may only read, whatever the account's role.
 *
 * @param sessionId the session's row id when {@code via} is a session (binds the CSRF token to it), else 0
 * @param tokenName the token's name when {@code via} is a token, else null
 */
public record Caller(long accountId, String username, Role role, Via via, long sessionId, String tokenName, boolean readOnly) {
    public enum Via { SESSION, TOKEN }

    /** Whether this caller may make a request that needs {@code needed}; a write needs a session or a write token. */
    public boolean may(Role needed, boolean write) {
        return role.allows(needed) && !(write && readOnly);
    }

    /** "session" or "token", as {@code /api/me} says it. */
    public String how() {
        return via == Via.SESSION ? "session" : "token";
    }
}
