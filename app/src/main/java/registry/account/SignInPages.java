package registry.account;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import registry.access.Caller;
import registry.access.Role;
import registry.history.Actor;
import registry.record.FieldErrors;
import registry.web.Access;
import registry.web.Cookies;
import registry.web.Hosts;
import registry.web.Pages;

/**
 * Signing in and out, and the one-time setup link that makes the first admin. A sign-in always
 * starts a new session (a session id known before it is worth nothing after), and {@code next}
 * leads only to a path of this site.
 */
public final class SignInPages {
    static final String WRONG = "Wrong username or password";

    private final Accounts accounts;
    private final Pages pages;
    private final Cookies cookies;
    private final Hosts hosts;
    private final String setupToken;

    /** @param setupToken the secret of this start's setup link, which works while no account exists */
    public SignInPages(Accounts accounts, Pages pages, Cookies cookies, Hosts hosts, String setupToken) {
        this.accounts = accounts;
        this.pages = pages;
        this.cookies = cookies;
        this.hosts = hosts;
        this.setupToken = setupToken;
    }

    public void routes(RoutesConfig routes) {
        routes.get("/sign-in", this::form);
        routes.post("/sign-in", this::signIn);
        routes.post("/sign-out", this::signOut);
        routes.get("/setup/{token}", this::setupForm);
        routes.post("/setup/{token}", this::setup);
        routes.get("/api/me", this::me);
    }

    private void form(Context ctx) {
        pages.render(ctx, "sign-in", Map.of("username", "", "next", safeNext(ctx.queryParam("next")), "errors", new FieldErrors()));
    }

    private void signIn(Context ctx) {
        String username = ctx.formParam("username");
        String next = safeNext(ctx.formParam("next"));
        Accounts.SignIn result = accounts.signIn(username, ctx.formParam("password"), hosts.clientAddress(ctx), ctx.userAgent());
        if (result instanceof Accounts.SignIn.Done done) {
            startSession(ctx, done.secret(), next);
        } else if (result instanceof Accounts.SignIn.Throttled throttled) {
            ctx.header("Retry-After", Long.toString(throttled.retryAfterSeconds()));
            again(ctx, 429, username, next, "Too many failed sign-ins; try again in " + minutes(throttled.retryAfterSeconds()));
        } else {
            again(ctx, 422, username, next, WRONG);
        }
    }

    private static String minutes(long seconds) {
        long m = (seconds + 59) / 60;
        return m == 1 ? "a minute" : m + " minutes";
    }

    private void again(Context ctx, int status, String username, String next, String message) {
        Map<String, Object> model = new HashMap<>();
        model.put("username", username == null ? "" : username.strip());
        model.put("next", next);
        model.put("errors", new FieldErrors());
        model.put("message", message);
        pages.render(ctx, status, "sign-in", model);
    }

    private void startSession(Context ctx, String secret, String next) {
        // Whatever session the browser held is over; the new one has a new id.
        accounts.signOut(cookies.get(ctx, Access.SESSION_COOKIE));
        cookies.set(ctx, Access.SESSION_COOKIE, secret);
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    private void signOut(Context ctx) {
        accounts.signOut(cookies.get(ctx, Access.SESSION_COOKIE));
        cookies.clear(ctx, Access.SESSION_COOKIE);
        ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
    }

    /**
     * {@code next} when it is a path of this site: one slash, then not a second one or a backslash
     * (which browsers read as another host), and no control characters; else "/".
     */
    static String safeNext(String next) {
        if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return "/";
        }
        return next;
    }

    private void requireSetup(Context ctx) {
        String given = ctx.pathParam("token");
        boolean right = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), setupToken.getBytes(StandardCharsets.UTF_8));
        if (!right || !accounts.none()) {
            throw new NotFoundResponse("There is no setup page here: an account exists already, or the link is from another start");
        }
    }

    private void setupForm(Context ctx) {
        requireSetup(ctx);
        pages.render(ctx, "setup", Map.of("username", "", "errors", new FieldErrors()));
    }

    private void setup(Context ctx) {
        requireSetup(ctx);
        String username = ctx.formParam("username");
        String password = ctx.formParam("password");
        try {
            if (password == null || !password.equals(ctx.formParam("confirm"))) {
                throw AccountRefused.invalid("confirm", "The two passwords differ");
            }
            // Nobody is signed in yet: the first admin makes themself, on the page.
            accounts.add(username, Role.ADMIN, password, new Actor(username == null ? "" : username.strip(), "page"));
        } catch (AccountRefused refused) {
            pages.render(ctx, refused.status(), "setup", Map.of("username", username == null ? "" : username.strip(), "errors", refused.errors(),
                    "message", refused.errors().isEmpty() ? refused.getMessage() : ""));
            return;
        }
        Accounts.SignIn signedIn = accounts.signIn(username, password, hosts.clientAddress(ctx), ctx.userAgent());
        if (signedIn instanceof Accounts.SignIn.Done done) {
            startSession(ctx, done.secret(), "/");
        } else {
            ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
        }
    }

    private void me(Context ctx) {
        Caller caller = Access.caller(ctx).orElseThrow();
        ctx.json(Map.of("username", caller.username(), "role", caller.role().id(), "via", caller.how()));
    }
}
