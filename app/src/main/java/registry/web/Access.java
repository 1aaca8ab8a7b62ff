package registry.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import registry.access.Authenticator;
import registry.access.Caller;
import registry.access.Role;
import registry.history.Actor;

/**
 * Who may take each route: the one table of SPEC "Accounts and access", checked before every
 * matched request, and nowhere else. A route missing from the table stops the app at start, so a
 * new one cannot be forgotten. After the access check come the checks that a write really comes
 * from this site: the {@code Origin} (pages and API), then the CSRF token (forms).
 */
public final class Access {
    /** What a route needs. */
    public enum Need {
        /** Anyone, signed in or not. */
        ANYONE,
        /** A viewer; anyone when {@code security.public-read} is on. */
        READER,
        /** Any signed-in account, whatever its role. */
        SIGNED_IN,
        EDITOR,
        ADMIN
    }

    /**
     * Every route, by method and path template; {@code {kind}} stands for each kind of record's path.
     * Reading records is READER; changing them EDITOR; one's own account SIGNED_IN; accounts ADMIN.
     */
    private static final Map<String, Need> RULES = new LinkedHashMap<>();

    static {
        rule(Need.ANYONE, "GET /sign-in", "POST /sign-in", "GET /setup/{token}", "POST /setup/{token}",
                "GET /health", "GET /health/pool", "GET /api/openapi.json", "GET /api/docs");
        rule(Need.READER, "GET /", "GET /{kind}", "GET /{kind}.csv", "GET /credits.csv", "GET /{kind}/{id}",
                "GET /api/{kind}", "GET /api/{kind}/{id}", "GET /api/movies/{id}/credits", "GET /api/people/{id}/credits");
        // The history is for accounts, even where records are public (security.public-read).
        rule(Need.SIGNED_IN, "GET /{kind}/{id}/history", "GET /api/{kind}/{id}/history", "GET /changes", "GET /api/changes",
                "GET /trash",
                "GET /api/changes/stream");
        rule(Need.SIGNED_IN, "POST /sign-out", "GET /api/me", "GET /account", "POST /account/password",
                "POST /account/sessions/{id}/delete", "POST /account/tokens", "POST /account/tokens/{id}/delete");
        rule(Need.EDITOR, "POST /{kind}", "GET /{kind}/{id}/edit", "POST /{kind}/{id}", "GET /{kind}/{id}/delete",
                "POST /{kind}/{id}/delete", "POST /movies/{id}/credits", "GET /movies/{id}/credits/{person_id}/{role}/delete",
                "POST /movies/{id}/credits/{person_id}/{role}/delete",
                "POST /api/{kind}", "PUT /api/{kind}/{id}", "DELETE /api/{kind}/{id}",
                "POST /api/movies/{id}/credits", "DELETE /api/movies/{id}/credits/{person_id}/{role}",
                "GET /{kind}/{id}/history/{entry}/restore", "POST /{kind}/{id}/history/{entry}/restore",
                "POST /api/{kind}/{id}/history/{entry}/restore", "POST /trash/{entry}/restore", "POST /api/trash/{entry}/restore");
        // Import: each kind of record and credits, which have no pages of their own besides these.
        for (String kind : List.of("{kind}", "credits")) {
            rule(Need.EDITOR, "GET /" + kind + "/import", "POST /" + kind + "/import", "POST /" + kind + "/import/{import}",
                    "GET /" + kind + "/import/{import}/rejected.csv", "POST /api/" + kind + "/import");
        }
        rule(Need.ADMIN, "GET /accounts", "POST /accounts", "GET /accounts/{id}", "POST /accounts/{id}",
                "POST /accounts/{id}/password", "POST /accounts/{id}/delete");
        rule(Need.ADMIN, "GET /metrics");
    }

    private static void rule(Need need, String... routes) {
        for (String route : routes) {
            RULES.put(route, need);
        }
    }

    public static final String SESSION_COOKIE = "registry_session";
    private static final String CALLER = "registry.caller";
    /** SPEC: 20 invalid bearer tokens from one address within a minute, then 429 for the rest of it. */
    private static final int BAD_TOKENS_PER_MINUTE = 20;

    private final Map<String, Need> table = new LinkedHashMap<>();
    private final Authenticator authenticator;
    private final Hosts hosts;
    private final Csrf csrf;
    private final Cookies cookies;
    private final boolean publicRead;
    /** Invalid bearer tokens per client address in the current minute. */
    private final Map<String, long[]> badTokens = new ConcurrentHashMap<>();

    public Access(List<String> kindPaths, Authenticator authenticator, Hosts hosts, Csrf csrf, Cookies cookies, boolean publicRead) {
        RULES.forEach((route, need) -> {
            if (route.contains("{kind}")) {
                kindPaths.forEach(kind -> table.put(route.replace("{kind}", kind), need));
            } else {
                table.put(route, need);
            }
        });
        this.authenticator = authenticator;
        this.hosts = hosts;
        this.csrf = csrf;
        this.cookies = cookies;
        this.publicRead = publicRead;
    }

    public void register(JavalinConfig cfg) {
        cfg.routes.beforeMatched(this::check);
        cfg.events.serverStarting(() -> {
            List<String> missing = unruled(cfg.unsafe.internalRouter.allHttpHandlers().stream().map(p -> p.endpoint).toList());
            if (!missing.isEmpty()) {
                throw new IllegalStateException("routes without an access rule in " + Access.class.getName() + ": " + missing);
            }
        });
    }

    /** The routes among {@code endpoints} that the table does not name. */
    List<String> unruled(List<Endpoint> endpoints) {
        List<String> missing = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.method.isHttpMethod() && endpoint.method != HandlerType.HEAD && !table.containsKey(key(endpoint))) {
                missing.add(key(endpoint));
            }
        }
        return missing;
    }

    /** What a route needs, by method and path template: for the tests that walk the router. */
    public Optional<Need> need(String method, String path) {
        return Optional.ofNullable(table.get(method + " " + path));
    }

    private static String key(Endpoint endpoint) {
        return endpoint.method.name() + " " + endpoint.path;
    }

    /**
     * Who the history names for a change made by this request: the caller and how it came
     * ({@code token:NAME}, else {@code api} or {@code page}). Every change needs a caller, which the
     * access check has made sure of.
     */
    public static Actor actor(Context ctx) {
        Caller caller = caller(ctx).orElseThrow(() -> new IllegalStateException("a change without a caller: " + ctx.path()));
        String via = caller.via() == Caller.Via.TOKEN ? "token:" + caller.tokenName() : HttpErrors.wantsJson(ctx) ? "api" : "page";
        return new Actor(caller.username(), via);
    }

    /** The caller the request proved, if any. */
    public static Optional<Caller> caller(Context ctx) {
        return Optional.ofNullable(ctx.attribute(CALLER));
    }

    private void check(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null) {
            return;
        }
        String method = ctx.method() == HandlerType.HEAD ? "GET" : ctx.method().name();
        Need need = table.get(method + " " + endpoint.path);
        if (need == null) {
            throw new ForbiddenResponse("This route has no access rule"); // never reached: start-up refuses such a route
        }
        Optional<Caller> caller = need == Need.ANYONE ? openPageCaller(ctx) : authenticate(ctx);
        caller.ifPresent(c -> ctx.attribute(CALLER, c));
        boolean write = !method.equals("GET");
        if (!(need == Need.ANYONE || (need == Need.READER && publicRead && !write))) {
            if (caller.isEmpty()) {
                unauthenticated(ctx);
                return;
            }
            Role role = need == Need.EDITOR ? Role.EDITOR : need == Need.ADMIN ? Role.ADMIN : Role.VIEWER;
            if (!caller.get().may(role, write)) {
                throw new ForbiddenResponse(caller.get().role().allows(role)
                        ? "This token may only read; use a write token"
                        : "Your role (" + caller.get().role() + ") may not do this; it needs " + role);
            }
        }
        if (write) {
            fromThisSite(ctx, caller);
        }
    }

    /**
     * Notes who is signed in for a page that no route's check has seen (a 404 for a path no route
     * has, say), so that its header says so too; never fails.
     */
    void identify(Context ctx) {
        if (caller(ctx).isEmpty()) {
            openPageCaller(ctx).ifPresent(c -> ctx.attribute(CALLER, c));
        }
    }

    /**
     * On an open page (the sign-in form, the setup page) the session, if any, so that the page can
     * say who is signed in; an open page never fails for it. Open JSON routes ask nobody: /health
     * must answer while the database is down, without a query for a cookie.
     */
    private Optional<Caller> openPageCaller(Context ctx) {
        if (HttpErrors.wantsJson(ctx)) {
            return Optional.empty();
        }
        try {
            return authenticator.session(cookies.get(ctx, SESSION_COOKIE));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The caller a bearer token or the session cookie proves; a bearer token that proves nobody is a 401 at once. */
    private Optional<Caller> authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            String address = hosts.clientAddress(ctx);
            long minute = System.currentTimeMillis() / 60_000;
            long[] bad = badTokens.get(address);
            if (bad != null && bad[0] == minute && bad[1] >= BAD_TOKENS_PER_MINUTE) {
                ctx.header("Retry-After", Long.toString(60 - (System.currentTimeMillis() / 1000) % 60));
                throw new HttpResponseException(HttpStatus.TOO_MANY_REQUESTS.getCode(), "Too many invalid tokens from this address; wait a minute");
            }
            Optional<Caller> caller = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authenticator.token(authorization.substring(7).strip()) : Optional.empty();
            if (caller.isEmpty()) {
                badTokens.compute(address, (a, counts) -> counts == null || counts[0] != minute ? new long[] {minute, 1}
                        : new long[] {minute, counts[1] + 1});
                if (badTokens.size() > 10_000) {
                    badTokens.entrySet().removeIf(e -> e.getValue()[0] != minute);
                }
                ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                throw new HttpResponseException(HttpStatus.UNAUTHORIZED.getCode(), "The API token is not valid (revoked, expired or mistyped)");
            }
            return caller;
        }
        return authenticator.session(cookies.get(ctx, SESSION_COOKIE));
    }

    /** The API: 401 with the scheme to use; a page: to the sign-in form, which comes back here. */
    private static void unauthenticated(Context ctx) {
        if (HttpErrors.wantsJson(ctx)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpResponseException(HttpStatus.UNAUTHORIZED.getCode(), "Sign in, or send an API token as Authorization: Bearer TOKEN");
        }
        String asked = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        ctx.redirect("/sign-in?next=" + URLEncoder.encode(asked, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
        ctx.skipRemainingHandlers();
    }

    /**
     * A write must come from this site: a browser names the page's origin in {@code Origin} (and
     * says {@code Sec-Fetch-Site}); a form must also carry its CSRF token. A bearer token cannot be
     * sent by another site's page, so a token's write needs no CSRF token.
     */
    private void fromThisSite(Context ctx, Optional<Caller> caller) {
        String origin = ctx.header("Origin");
        if ((origin != null && !hosts.ownOrigin(ctx, origin)) || "cross-site".equalsIgnoreCase(ctx.header("Sec-Fetch-Site"))) {
            throw new ForbiddenResponse("Writes from another site are not allowed");
        }
        boolean token = caller.map(c -> c.via() == Caller.Via.TOKEN).orElse(false);
        if (!HttpErrors.wantsJson(ctx) && !token) {
            csrf.check(ctx);
        }
    }
}
