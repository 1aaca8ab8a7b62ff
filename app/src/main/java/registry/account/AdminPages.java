package registry.account;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import registry.access.Caller;
import registry.access.Role;
import registry.record.FieldErrors;
import registry.web.Access;
import registry.web.Flash;
import registry.web.Pages;
import registry.web.Params;

/**
 * Managing accounts (SPEC "Accounts (admin)"). The rules (the last enabled admin, what ends
 * sessions, what narrows tokens) live in {@link Accounts}; a refusal comes back as
 * {@link AccountRefused} and is shown here: 422 beside its field, 409 as a message with the
 * account unchanged.
 */
public final class AdminPages {
    private static final List<String> ROLES = Arrays.stream(Role.values()).map(Role::id).toList();
    private static final String ROLE_MESSAGE = "Role must be one of " + String.join(", ", ROLES);

    private final Accounts accounts;
    private final Pages pages;
    private final Flash flash;

    public AdminPages(Accounts accounts, Pages pages, Flash flash) {
        this.accounts = accounts;
        this.pages = pages;
        this.flash = flash;
    }

    public void routes(RoutesConfig routes) {
        routes.get("/accounts", ctx -> list(ctx, 200, NewAccount.EMPTY, new FieldErrors()));
        routes.post("/accounts", this::create);
        routes.get("/accounts/{id}", ctx -> show(ctx, 200, existing(ctx), new FieldErrors(), null));
        routes.post("/accounts/{id}", this::update);
        routes.post("/accounts/{id}/password", this::setPassword);
        routes.post("/accounts/{id}/delete", this::remove);
    }

    /** The create form as typed, kept when it comes back with its messages (never the password). */
    record NewAccount(String username, String role) {
        static final NewAccount EMPTY = new NewAccount("", "viewer");
    }

    private void list(Context ctx, int status, NewAccount form, FieldErrors errors) {
        pages.render(ctx, status, "accounts/list", Map.of("accounts", accounts.list(), "form", form, "errors", errors, "roles", ROLES));
    }

    private void create(Context ctx) {
        NewAccount form = new NewAccount(Params.field(ctx, "username"), Params.field(ctx, "role"));
        Optional<Role> role = Role.parse(form.role());
        if (role.isEmpty()) {
            list(ctx, 422, form, FieldErrors.of("role", ROLE_MESSAGE));
            return;
        }
        Account created;
        try {
            created = accounts.add(form.username(), role.get(), ctx.formParam("password"), Access.actor(ctx));
        } catch (AccountRefused refused) {
            list(ctx, 422, form, refused.errors());
            return;
        }
        flash.set(ctx, "Created account " + created.username() + ".");
        ctx.redirect("/accounts/" + created.id(), HttpStatus.SEE_OTHER);
    }

    private Account existing(Context ctx) {
        long id = Params.id(ctx, "account");
        return accounts.find(id).orElseThrow(() -> new NotFoundResponse("There is no account with id " + id));
    }

    /** An account's page; {@code conflict}, when not null, is why a change was refused (409) and nothing changed. */
    private void show(Context ctx, int status, Account account, FieldErrors errors, String conflict) {
        Map<String, Object> model = new HashMap<>();
        model.put("account", account);
        model.put("roles", ROLES);
        model.put("errors", errors);
        model.put("own", account.id() == Access.caller(ctx).map(Caller::accountId).orElse(0L));
        if (conflict != null) {
            model.put("conflict", conflict);
        }
        pages.render(ctx, status, "accounts/show", model);
    }

    /**
     * Role first, then enabled. Whatever the outcome, nothing is half done: a role change that
     * would demote the last admin fails before enabled is touched, and disabling can then fail
     * only for an account that was an admin already, whose role therefore did not change.
     */
    private void update(Context ctx) {
        Account account = existing(ctx);
        Optional<Role> role = Role.parse(Params.field(ctx, "role"));
        String enabled = Params.field(ctx, "enabled");
        FieldErrors errors = new FieldErrors();
        if (role.isEmpty()) {
            errors.add("role", ROLE_MESSAGE);
        }
        if (!enabled.equals("true") && !enabled.equals("false")) {
            errors.add("enabled", "Choose whether the account is enabled or disabled");
        }
        if (!errors.isEmpty()) {
            show(ctx, 422, account, errors, null);
            return;
        }
        change(ctx, account, () -> {
            if (role.get() != account.access()) {
                accounts.setRole(account.id(), role.get(), Access.actor(ctx));
            }
            accounts.setEnabled(account.id(), enabled.equals("true"), Access.actor(ctx));
        }, "Saved account " + account.username() + ".", "/accounts/" + account.id());
    }

    private void setPassword(Context ctx) {
        Account account = existing(ctx);
        Caller caller = Access.caller(ctx).orElseThrow();
        // An admin setting their own password here keeps the session they are using; all others end.
        long keep = caller.accountId() == account.id() ? caller.sessionId() : 0;
        change(ctx, account, () -> accounts.setPassword(account.id(), ctx.formParam("password"), keep, Access.actor(ctx)),
                "Set a new password for " + account.username() + ". Their sessions have ended.", "/accounts/" + account.id());
    }

    private void remove(Context ctx) {
        Account account = existing(ctx);
        change(ctx, account, () -> accounts.remove(account.id(), Access.actor(ctx)), "Removed account " + account.username() + ".", "/accounts");
    }

    /**
     * Makes a change to {@code account}: done, a flash and 303 to {@code then}; refused, the
     * account's page again with the reason ({@link #refused}).
     */
    private void change(Context ctx, Account account, Runnable change, String done, String then) {
        try {
            change.run();
        } catch (AccountRefused refused) {
            refused(ctx, account.id(), refused);
            return;
        }
        flash.set(ctx, done);
        ctx.redirect(then, HttpStatus.SEE_OTHER);
    }

    /** The account's page again, as it is now: messages beside their fields (422) or the reason above (409). */
    private void refused(Context ctx, long id, AccountRefused refused) {
        Optional<Account> now = accounts.find(id);
        if (refused.status() == 404 || now.isEmpty()) {
            throw new NotFoundResponse("There is no account with id " + id);
        }
        if (refused.status() == 422) {
            show(ctx, 422, now.get(), refused.errors(), null);
        } else {
            show(ctx, refused.status(), now.get(), new FieldErrors(), refused.getMessage());
        }
    }
}
