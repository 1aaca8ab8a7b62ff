package registry.web;

import io.javalin.http.Context;
import java.util.Optional;

/** A message shown once, on the page after a redirect; carried in a signed cookie so any instance can show it. */
public final class Flash {
    static final String COOKIE = "registry_flash";
    private static final String PURPOSE = "flash";

    private final Signer signer;
    private final Cookies cookies;

    public Flash(Signer signer, Cookies cookies) {
        this.signer = signer;
        this.cookies = cookies;
    }

    public void set(Context ctx, String message) {
        cookies.set(ctx, COOKIE, signer.seal(PURPOSE, message));
    }

    /** The pending message, if any; it is cleared so that it shows only once. */
    Optional<String> take(Context ctx) {
        String sealed = cookies.get(ctx, COOKIE);
        if (sealed == null) {
            return Optional.empty();
        }
        cookies.clear(ctx, COOKIE);
        return signer.unseal(PURPOSE, sealed);
    }
}
