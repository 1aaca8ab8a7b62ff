package registry.web;

import io.javalin.http.Context;

/**
 * Our cookies: HttpOnly and SameSite=Lax, for the whole site. Served over https
 * ({@code server.public-url}) they are also Secure and named with the {@code __Host-} prefix,
 * which tells the browser to refuse them from plain http and from other hosts of the domain.
 */
public final class Cookies {
    private final boolean secure;

    public Cookies(boolean secure) {
        this.secure = secure;
    }

    /** The name a cookie goes by here. */
    public String name(String base) {
        return secure ? "__Host-" + base : base;
    }

    public String get(Context ctx, String base) {
        return ctx.cookie(name(base));
    }

    public void set(Context ctx, String base, String value) {
        ctx.res().addHeader("Set-Cookie", name(base) + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }

    public void clear(Context ctx, String base) {
        ctx.res().addHeader("Set-Cookie", name(base) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }
}
