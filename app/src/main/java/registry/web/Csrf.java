package registry.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.security.SecureRandom;

/**
 * Signed double-submit CSRF protection without server-side state: the browser holds a random
 * value in an HttpOnly cookie, and each form carries the HMAC of that value in {@code _csrf}.
 * A forged page can neither read the cookie nor compute the token, and a token copied from one
 * browser fails with another's cookie.
 */
public final class Csrf {
    static final String COOKIE = "registry_csrf";
    public static final String FIELD = "_csrf";
    private static final String PURPOSE = "csrf";
    private static final String ATTRIBUTE = "registry.csrf.token";
    /** One generator per thread: a shared one serialises every new visitor on its lock. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private final Signer signer;

    public Csrf(Signer signer) {
        this.signer = signer;
    }

    /** The token for this browser's forms, setting its cookie on first use. */
    public String token(Context ctx) {
        String cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        String nonce = ctx.cookie(COOKIE);
        if (nonce == null || nonce.length() != 43) {
            byte[] bytes = new byte[32];
            RANDOM.get().nextBytes(bytes);
            nonce = Signer.encode(bytes);
            Cookies.set(ctx, COOKIE, nonce);
        }
        String token = signer.sign(PURPOSE, nonce);
        ctx.attribute(ATTRIBUTE, token);
        return token;
    }

    /** Refuses a form POST whose {@code _csrf} does not match its cookie. */
    public void check(Context ctx) {
        String nonce = ctx.cookie(COOKIE);
        String token = ctx.formParam(FIELD);
        if (nonce == null || !signer.verify(PURPOSE, nonce, token)) {
            throw new ForbiddenResponse("The form has expired or did not come from this site. Reload the page and try again.");
        }
    }
}
