package registry.web;

import io.javalin.http.Context;

/** Our cookies: HttpOnly and SameSite=Lax, for the whole site. */
final class Cookies {
    private Cookies() {}

    static void set(Context ctx, String name, String value) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax");
    }

    static void clear(Context ctx, String name) {
        ctx.res().addHeader("Set-Cookie", name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    }
}
