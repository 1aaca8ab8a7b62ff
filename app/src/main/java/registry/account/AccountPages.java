package registry.account;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.HashMap;
import java.util.Map;
import registry.access.Caller;
import registry.record.FieldErrors;
import registry.web.Access;
import registry.web.Cookies;
import registry.web.Flash;
import registry.web.Pages;
import registry.web.Params;

/**
 * One's own account (SPEC "Own account"): the password, the sessions and the API tokens of
 * whoever is asking. Every route acts on the caller's account only, so an id of someone else's
 * session or token is answered 404, exactly like one that does not exist.
 */
public final class AccountPages {
    private final Accounts accounts;
    private final Pages pages;
    private final Flash flash;
    private final Cookies cookies;

    public AccountPages(Accounts accounts, Pages pages, Flash flash, Cookies cookies) {
        this.accounts = accounts;
        this.pages = pages;
        this.flash = flash;
        this.cookies = cookies;
    }

    public void routes(RoutesConfig routes) {
        routes.get("/account", ctx -> show(ctx, 200, new FieldErrors(), TokenForm.EMPTY));
        routes.post("/account/password", this::changePassword);
        routes.post("/account/sessions/{id}/delete", this::endSession);
        routes.post("/account/tokens", this::createToken);
        routes.post("/account/tokens/{id}/delete", this::revokeToken);
    }

    /** The token form as typed, kept when it comes back with its messages. */
    record TokenForm(String name, String access, String expiresInDays) {
        static final TokenForm EMPTY = new TokenForm("", "read", "");

        static TokenForm from(Context ctx) {
            return new TokenForm(Params.field(ctx, "name"), Params.field(ctx, "access"), Params.field(ctx, "expires_in_days"));
        }
    }

    private static Caller caller(Context ctx) {
        return Access.caller(ctx).orElseThrow(); // the access table lets only signed-in callers here
    }

    /** The account page; {@code errors} holds the messages of both forms (their field names differ). */
    private void show(Context ctx, int status, FieldErrors errors, TokenForm tokenForm) {
        Caller caller = caller(ctx);
        Account account = accounts.find(caller.accountId()).orElseThrow(() -> new NotFoundResponse("Your account no longer exists"));
        Map<String, Object> model = new HashMap<>();
        model.put("account", account);
        model.put("sessions", accounts.sessions(caller.accountId()));
        model.put("thisSession", caller.sessionId());
        model.put("tokens", accounts.tokens(caller.accountId()));
        model.put("tokenForm", tokenForm);
        model.put("errors", errors);
        pages.render(ctx, status, "account/show", model);
    }

    private void changePassword(Context ctx) {
        // Passwords are taken as typed: spaces at either end are part of them.
        try {
            accounts.changePassword(caller(ctx), ctx.formParam("current"), ctx.formParam("password"), ctx.formParam("confirm"), Access.actor(ctx));
        } catch (AccountRefused refused) {
            if (refused.status() != 422) {
                throw answer(refused);
            }
            show(ctx, 422, refused.errors(), TokenForm.EMPTY);
            return;
        }
        flash.set(ctx, "Your password is changed. Every other session of your account has ended.");
        ctx.redirect("/account", HttpStatus.SEE_OTHER);
    }

    private void endSession(Context ctx) {
        Caller caller = caller(ctx);
        long id = Params.id(ctx, "session");
        if (!accounts.endSession(caller.accountId(), id)) {
            throw new NotFoundResponse("You have no session with id " + id);
        }
        if (id == caller.sessionId()) {
            // Ending the session in use is signing out: there is no account page to go back to.
            cookies.clear(ctx, Access.SESSION_COOKIE);
            ctx.redirect("/sign-in", HttpStatus.SEE_OTHER);
            return;
        }
        flash.set(ctx, "Ended the session.");
        ctx.redirect("/account", HttpStatus.SEE_OTHER);
    }

    private void createToken(Context ctx) {
        Caller caller = caller(ctx);
        TokenForm form = TokenForm.from(ctx);
        Accounts.NewToken token;
        try {
            token = accounts.createToken(caller.accountId(), form.name(), form.access(), days(form.expiresInDays()), Access.actor(ctx));
        } catch (AccountRefused refused) {
            if (refused.status() != 422) {
                throw answer(refused);
            }
            show(ctx, 422, refused.errors(), form);
            return;
        }
        // 200, not a redirect: the secret is never stored, so this answer is the only place it can appear.
        pages.render(ctx, "account/token", Map.of("token", token, "form", form));
    }

    /**
     * {@code expires_in_days}: blank means never. Anything but a plain count of days is taken as
     * out of range (0), so the form shows the one message for it beside the others.
     */
    private static Integer days(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        return raw.matches("[0-9]{1,9}") ? Integer.valueOf(raw) : 0;
    }

    /** A refusal that is no form's business (an account gone meanwhile, the last admin) as its status and message. */
    static HttpResponseException answer(AccountRefused refused) {
        return new HttpResponseException(refused.status(), refused.getMessage());
    }

    private void revokeToken(Context ctx) {
        Caller caller = caller(ctx);
        long id = Params.id(ctx, "token");
        String name = accounts.tokens(caller.accountId()).stream().filter(t -> t.id() == id).map(AccountDao.Token::name)
                .findFirst().orElseThrow(() -> new NotFoundResponse("You have no token with id " + id));
        if (!accounts.revokeToken(caller.accountId(), id, Access.actor(ctx))) {
            throw new NotFoundResponse("You have no token with id " + id);
        }
        flash.set(ctx, "Revoked the token " + name + ".");
        ctx.redirect("/account", HttpStatus.SEE_OTHER);
    }
}
