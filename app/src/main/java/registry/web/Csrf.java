package registry.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;

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

    private final Signer signer;
    private final Cookies cookies;

    public Csrf(Signer signer, Cookies cookies) {
        this.signer = signer;
        this.cookies = cookies;
    }

    /**
     * What the token signs: the browser's nonce and, once signed in, the session, so that a token
     * from before a sign-in (or from another session) does not work in this one.
     */
    private static String bound(Context ctx, String nonce) {
        return Access.caller(ctx).filter(c -> c.sessionId() > 0).map(c -> nonce + "|" + c.sessionId()).orElse(nonce);
    }

    /** The token for this browser's forms, setting its cookie on first use. */
    public String token(Context ctx) {
        String cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        String nonce = cookies.get(ctx, COOKIE);
        if (nonce == null || nonce.length() != 43) {
            nonce = Signer.randomToken();
            cookies.set(ctx, COOKIE, nonce);
        }
        String token = signer.sign(PURPOSE, bound(ctx, nonce));
        ctx.attribute(ATTRIBUTE, token);
        return token;
    }

    /** Refuses a form POST whose {@code _csrf} does not match its cookie. */
    public void check(Context ctx) {
        String nonce = cookies.get(ctx, COOKIE);
        String token = ctx.formParam(FIELD);
        if (nonce == null || !signer.verify(PURPOSE, bound(ctx, nonce), token)) {
            throw new ForbiddenResponse("The form has expired or did not come from this site. Reload the page and try again.");
        }
    }
}
