package registry.access;

import java.util.Optional;

/** Tells who a session cookie or a bearer token proves, as it is now (at most a moment old). */
public interface Authenticator {
    Optional<Caller> session(String secret);

    Optional<Caller> token(String secret);
}
