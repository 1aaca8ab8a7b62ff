package registry.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.JdbiException;
import registry.access.Authenticator;
import registry.access.Caller;
import registry.access.Role;
import registry.db.CaseFold;
import registry.db.Database;
import registry.db.UniqueViolation;
import registry.history.Actor;
import registry.history.History;
import registry.record.FieldErrors;
import registry.user.UserForm;
import registry.web.Signer;

/**
 * Accounts and what proves who someone is: passwords, sessions and API tokens (SPEC "Accounts
 * and access"). Everything is kept in the database, so every instance agrees; what a request
 * checks is cached for at most {@link #FRESH}, so a session ended or an account disabled on one
 * instance is refused by all within that time, without a query per request. Every event the SPEC
 * names (created, role or enabled changed, password set, signed in, sign-in failed, token created
 * or revoked; also removed) writes its history entry of kind {@link History#ACCOUNTS} in the
 * change's own transaction, naming who acted: the {@link Actor} each method takes.
 */
public final class Accounts implements Authenticator {
    /** How long a checked session or token is believed without asking the database again. */
    static final Duration FRESH = Duration.ofMillis(500);
    /** How often a session's or token's last use is written: enough for "last used" and the idle limit. */
    static final Duration TOUCH = Duration.ofMinutes(1);
    static final Duration SESSION_LIFETIME = Duration.ofDays(30);
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
    static final int FAILURES_PER_USERNAME = 5;
    static final int FAILURES_PER_ADDRESS = 20;
    /** Checked sessions and tokens kept; past it the cache starts over (a flood of made-up ones cannot grow it). */
    private static final int CACHE_LIMIT = 10_000;
    private static final String TOKEN_PREFIX = "reg_";
    /** The longest typed username a failed sign-in's entry keeps. */
    private static final int TYPED_MAX = 100;

    private final Database database;
    private final Clock clock;
    private final Duration idle;
    private final AccountDao reads;
    private final ConcurrentHashMap<String, Checked> checked = new ConcurrentHashMap<>();

    /** A session's or token's check: who it proved (empty: nobody), and until when that is believed. */
    private record Checked(Optional<Caller> caller, long freshUntilNanos) {}

    public Accounts(Database database, Clock clock, int sessionIdleMinutes) {
        this.database = database;
        this.clock = clock;
        this.idle = Duration.ofMinutes(sessionIdleMinutes);
        this.reads = database.readDao(AccountDao.class);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // Accounts

    public boolean none() {
        return reads.count() == 0;
    }

    public List<Account> list() {
        return reads.list();
    }

    public Optional<Account> find(long id) {
        return reads.find(id);
    }

    public Optional<Account> find(String username) {
        return reads.findByKey(CaseFold.fold(username.strip()));
    }

    /** Creates an account; refused (422) for an invalid or taken username, a bad password. */
    public Account add(String username, Role role, String password, Actor actor) {
        String name = username == null ? "" : username.strip();
        FieldErrors errors = usernameProblems(name);
        Passwords.problem(password, name).ifPresent(message -> errors.add("password", message));
        if (!errors.isEmpty()) {
            throw AccountRefused.invalid(errors);
        }
        String hash = Passwords.hash(password);
        Instant now = now();
        try {
            long id = database.write(h -> {
                long created = h.attach(AccountDao.class).insert(name, CaseFold.fold(name), hash, role.id(), now);
                History.write(h, actor, "create", History.ACCOUNTS, created, name, Map.of("username", name, "role", role.id(), "enabled", true));
                return created;
            });
            return reads.find(id).orElseThrow();
        } catch (JdbiException e) {
            if (UniqueViolation.column(e).isPresent()) {
                throw AccountRefused.invalid("username", "An account named " + name + " already exists");
            }
            throw e;
        }
    }

    /** The registry's username rule (SPEC "Records"), with the same messages. */
    private static FieldErrors usernameProblems(String username) {
        FieldErrors all = registry.record.Forms.validate(new UserForm(username, "account@registry.invalid"));
        FieldErrors errors = new FieldErrors();
        all.of("username").forEach(message -> errors.add("username", message));
        return errors;
    }

    public Account setRole(long id, Role role, Actor actor) {
        Account account = database.write(h -> {
            AccountDao dao = h.attach(AccountDao.class);
            dao.lockAdmins();
            Account before = dao.find(id).orElseThrow(() -> AccountRefused.notFound("with id " + id));
            dao.setRole(id, role.id(), now());
            if (enabledAdmin(before) && dao.enabledAdmins() == 0) {
                throw AccountRefused.lastAdmin("demoted");
            }
            if (!before.role().equals(role.id())) {
                History.write(h, actor, "update", History.ACCOUNTS, id, before.username(), Map.of("role", List.of(before.role(), role.id())));
            }
            return before;
        });
        forgetChecks(); // a lower role narrows its sessions and tokens at once
        return reads.find(account.id()).orElseThrow();
    }

    public Account setEnabled(long id, boolean enabled, Actor actor) {
        database.write(h -> {
            AccountDao dao = h.attach(AccountDao.class);
            dao.lockAdmins();
            Account before = dao.find(id).orElseThrow(() -> AccountRefused.notFound("with id " + id));
            if (before.enabled() == enabled) {
                return before;
            }
            dao.setDisabledAt(id, enabled ? null : now(), now());
            if (!enabled) {
                dao.endSessions(id, 0);
                if (enabledAdmin(before) && dao.enabledAdmins() == 0) {
                    throw AccountRefused.lastAdmin("disabled");
                }
            }
            History.write(h, actor, "update", History.ACCOUNTS, id, before.username(), Map.of("enabled", List.of(!enabled, enabled)));
            return before;
        });
        forgetChecks();
        return reads.find(id).orElseThrow();
    }

    public void remove(long id, Actor actor) {
        database.write(h -> {
            AccountDao dao = h.attach(AccountDao.class);
            dao.lockAdmins();
            Account before = dao.find(id).orElseThrow(() -> AccountRefused.notFound("with id " + id));
            dao.delete(id);
            if (enabledAdmin(before) && dao.enabledAdmins() == 0) {
                throw AccountRefused.lastAdmin("removed");
            }
            History.write(h, actor, "delete", History.ACCOUNTS, id, before.username(),
                    Map.of("username", before.username(), "role", before.role(), "enabled", before.enabled()));
            return null;
        });
        forgetChecks();
    }

    /**
     * Whether {@code account} counts towards "the last enabled admin": only a change to such an
     * account can leave none. Accounts made on the command line may hold no admin at all, and then
     * a viewer's role, enabling or removal must still be possible.
     */
    private static boolean enabledAdmin(Account account) {
        return account.enabled() && account.access() == Role.ADMIN;
    }

    /** Sets a new password; every session of the account ends but {@code keepSession} (0: all). */
    public void setPassword(long id, String password, long keepSession, Actor actor) {
        Account account = reads.find(id).orElseThrow(() -> AccountRefused.notFound("with id " + id));
        Passwords.problem(password, account.username()).ifPresent(message -> {
            throw AccountRefused.invalid("password", message);
        });
        String hash = Passwords.hash(password);
        database.write(h -> {
            AccountDao dao = h.attach(AccountDao.class);
            dao.setPassword(id, hash, now());
            int ended = dao.endSessions(id, keepSession);
            // That it was set, and what it ended: never the password, nor its hash.
            History.write(h, actor, "password", History.ACCOUNTS, id, account.username(), Map.of("sessions_ended", ended));
            return ended;
        });
        forgetChecks();
    }

    /** The own-account change: the current password must be right (422 on {@code current} otherwise). */
    public void changePassword(Caller caller, String current, String password, String confirm, Actor actor) {
        AccountDao.Credentials credentials = reads.credentials(caller.accountId()).orElseThrow(() -> AccountRefused.notFound("signed in"));
        if (current == null || current.length() > Passwords.MAX_LENGTH * 2 || !Passwords.matches(current, credentials.passwordHash())) {
            throw AccountRefused.invalid("current", "The current password is not right");
        }
        if (password == null || !password.equals(confirm)) {
            throw AccountRefused.invalid("confirm", "The two new passwords differ");
        }
        setPassword(caller.accountId(), password, caller.sessionId(), actor);
    }

    // Signing in

    /** What a sign-in came to. */
    public sealed interface SignIn {
        /** Signed in: {@code secret} goes into the session cookie, and nowhere else. */
        record Done(String secret, Caller caller) implements SignIn {}

        /** Wrong username or password, or a disabled account: one answer for all three. */
        record Wrong() implements SignIn {}

        /** Too many failures lately, for this username or from this address. */
        record Throttled(long retryAfterSeconds) implements SignIn {}
    }

    /**
     * Checks a username and password and starts a session. An unknown username costs the same
     * hash as a wrong password, so the answer's time does not tell whether the account exists.
     */
    public SignIn signIn(String username, String password, String address, String agent) {
        String name = username == null ? "" : username.strip();
        // A name no account can have (control characters, 300 NULs, 5,000 letters) is neither looked
        // up nor stored, which PostgreSQL could not do with a NUL anyway: its failures are kept
        // under the empty name, which no account has, and count for the address only.
        boolean possible = usernameProblems(name).isEmpty();
        String key = possible ? CaseFold.fold(name) : "";
        Instant now = now();
        Optional<Long> wait = throttled(key, address, now);
        if (wait.isPresent()) {
            return new SignIn.Throttled(wait.get());
        }
        if (!possible || password == null || password.isEmpty() || password.length() > Passwords.MAX_LENGTH * 2) {
            // cannot be right; no hash needed to say so
            return failed(key, address, now, name, possible ? reads.credentials(key) : Optional.empty());
        }
        Optional<AccountDao.Credentials> found = reads.credentials(key);
        if (found.isEmpty()) {
            Passwords.matchNothing(password);
            return failed(key, address, now, name, found);
        }
        AccountDao.Credentials account = found.get();
        if (!Passwords.matches(password, account.passwordHash()) || account.disabledAt() != null) {
            return failed(key, address, now, name, found);
        }
        String rehash = Passwords.outdated(account.passwordHash()) ? Passwords.hash(password) : null;
        String secret = Signer.randomToken();
        String trimmedAgent = agent == null ? "" : agent.length() > 200 ? agent.substring(0, 200) : agent;
        long sessionId = database.write(h -> {
            AccountDao dao = h.attach(AccountDao.class);
            dao.forgetFailures(key);
            dao.signedIn(account.id(), now);
            if (rehash != null) {
                dao.setPassword(account.id(), rehash, now);
            }
            dao.purgeSessions(now.minus(SESSION_LIFETIME), now.minus(idle));
            long session = dao.insertSession(account.id(), digest(secret), address, trimmedAgent, now);
            History.write(h, new Actor(account.username(), "page"), "sign-in", History.ACCOUNTS, account.id(), account.username(),
                    Map.of("address", address));
            return session;
        });
        Role role = Role.parse(account.role()).orElse(Role.VIEWER);
        return new SignIn.Done(secret, new Caller(account.id(), account.username(), role, Caller.Via.SESSION, sessionId, null, false));
    }

    /**
     * Counts a failure and writes its entry: the account's id and username when one has that name
     * (a wrong password, a disabled account), else record id 0 and the name as it was typed.
     */
    private SignIn failed(String key, String address, Instant now, String typed, Optional<AccountDao.Credentials> account) {
        String name = printable(typed);
        database.write(h -> {
            AccountDao dao = h.attach(AccountDao.class);
            dao.purgeFailures(now.minus(FAILURE_WINDOW));
            dao.failed(key, address, now);
            History.write(h, new Actor(name, "page"), "sign-in-failed", History.ACCOUNTS, account.map(AccountDao.Credentials::id).orElse(0L),
                    account.map(AccountDao.Credentials::username).orElse(name), Map.of("address", address));
            return null;
        });
        return new SignIn.Wrong();
    }

    /**
     * A typed username as the history may keep it: any name, even one no account can have, but
     * without control characters (a NUL, which PostgreSQL refuses) or unpaired surrogates, and at
     * most {@link #TYPED_MAX} characters, so that a 5,000-letter attempt costs no more than a name.
     */
    static String printable(String typed) {
        StringBuilder kept = new StringBuilder();
        typed.codePoints().limit(TYPED_MAX).forEach(c -> kept.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE ? '\uFFFD' : c));
        return kept.toString();
    }

    /** Seconds to wait before this username may sign in from this address again, when it must. */
    private Optional<Long> throttled(String key, String address, Instant now) {
        Instant since = now.minus(FAILURE_WINDOW);
        AccountDao.Failures ofUser = reads.failuresOf(key, since);
        AccountDao.Failures fromAddress = reads.failuresFrom(address, since);
        Instant until = null;
        if (!key.isEmpty() && ofUser.count() >= FAILURES_PER_USERNAME) {
            until = ofUser.first().plus(FAILURE_WINDOW);
        }
        if (fromAddress.count() >= FAILURES_PER_ADDRESS) {
            Instant other = fromAddress.first().plus(FAILURE_WINDOW);
            until = until == null || other.isAfter(until) ? other : until;
        }
        if (until == null) {
            return Optional.empty();
        }
        return Optional.of(Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000));
    }

    // Sessions

    @Override
    public Optional<Caller> session(String secret) {
        if (secret == null || secret.length() != 43) {
            return Optional.empty();
        }
        return check("s:" + secret, () -> {
            Instant now = now();
            String hash = digest(secret);
            return reads.liveSession(hash, now.minus(SESSION_LIFETIME), now.minus(idle)).map(s -> {
                if (s.lastSeenAt().isBefore(now.minus(TOUCH))) {
                    database.write(h -> {
                        h.attach(AccountDao.class).seen(s.id(), now);
                        return null;
                    });
                }
                return new Caller(s.accountId(), s.username(), Role.parse(s.role()).orElse(Role.VIEWER), Caller.Via.SESSION, s.id(), null, false);
            });
        });
    }

    /** Ends the session whose secret this is (sign-out), on every instance. */
    public void signOut(String secret) {
        if (secret != null && secret.length() == 43) {
            database.write(h -> h.attach(AccountDao.class).endSession(digest(secret)));
        }
        forgetChecks();
    }

    public List<AccountDao.SessionInfo> sessions(long accountId) {
        Instant now = now();
        return reads.sessions(accountId, now.minus(SESSION_LIFETIME), now.minus(idle));
    }

    /** Ends one of the account's own sessions; false when it has no such session. */
    public boolean endSession(long accountId, long sessionId) {
        int ended = database.write(h -> h.attach(AccountDao.class).endSession(accountId, sessionId));
        forgetChecks();
        return ended > 0;
    }

    // API tokens

    /** A new token, and its secret, shown once: "reg_" and 256 random bits. */
    public record NewToken(long id, String secret) {}

    public NewToken createToken(long accountId, String name, String access, Integer expiresInDays, Actor actor) {
        FieldErrors errors = new FieldErrors();
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            errors.add("name", "Name is required");
        } else if (trimmed.length() > 100) {
            errors.add("name", "Name must be at most 100 characters long");
        } else if (!trimmed.matches(registry.record.Forms.NO_CONTROL_CHARACTERS)) {
            errors.add("name", "Name must not contain control characters");
        } else if (!registry.record.Forms.isValidText(trimmed)) {
            errors.add("name", "Name must be valid Unicode text (it holds an unpaired surrogate or bytes that are not UTF-8)");
        }
        if (!"read".equals(access) && !"write".equals(access)) {
            errors.add("access", "Access must be read or write");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 365)) {
            errors.add("expires_in_days", "Expiry must be 1 to 365 days");
        }
        if (!errors.isEmpty()) {
            throw AccountRefused.invalid(errors);
        }
        Account account = reads.find(accountId).orElseThrow(() -> AccountRefused.notFound("with id " + accountId));
        String secret = TOKEN_PREFIX + Signer.randomToken();
        Instant now = now();
        Instant expires = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        long id = database.write(h -> {
            long token = h.attach(AccountDao.class).insertToken(accountId, trimmed, access, digest(secret), now, expires);
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("token", trimmed);
            changes.put("access", access);
            changes.put("expires_at", expires == null ? null : expires.toString());
            History.write(h, actor, "token-create", History.ACCOUNTS, accountId, account.username(), changes);
            return token;
        });
        return new NewToken(id, secret);
    }

    public List<AccountDao.Token> tokens(long accountId) {
        return reads.tokens(accountId);
    }

    public boolean revokeToken(long accountId, long tokenId, Actor actor) {
        int revoked = database.write(h -> {
            AccountDao dao = h.attach(AccountDao.class);
            Optional<AccountDao.Token> token = dao.tokens(accountId).stream().filter(t -> t.id() == tokenId).findFirst();
            Optional<Account> account = dao.find(accountId);
            if (token.isEmpty() || account.isEmpty() || dao.revokeToken(accountId, tokenId) == 0) {
                return 0;
            }
            History.write(h, actor, "token-revoke", History.ACCOUNTS, accountId, account.get().username(),
                    Map.of("token", token.get().name(), "access", token.get().access()));
            return 1;
        });
        forgetChecks();
        return revoked > 0;
    }

    @Override
    public Optional<Caller> token(String secret) {
        if (secret == null || secret.length() != TOKEN_PREFIX.length() + 43 || !secret.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        return check("t:" + secret, () -> {
            Instant now = now();
            return reads.liveToken(digest(secret), now).map(t -> {
                if (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minus(TOUCH))) {
                    database.write(h -> {
                        h.attach(AccountDao.class).tokenUsed(t.id(), now);
                        return null;
                    });
                }
                return new Caller(t.accountId(), t.username(), Role.parse(t.role()).orElse(Role.VIEWER), Caller.Via.TOKEN, 0, t.name(),
                        !"write".equals(t.access()));
            });
        });
    }

    // The cache of checks

    private Optional<Caller> check(String key, java.util.function.Supplier<Optional<Caller>> lookup) {
        long nanos = System.nanoTime();
        Checked known = checked.get(key);
        if (known != null && nanos - known.freshUntilNanos() < 0) {
            return known.caller();
        }
        Optional<Caller> caller = lookup.get();
        if (checked.size() >= CACHE_LIMIT) {
            checked.clear();
        }
        checked.put(key, new Checked(caller, nanos + FRESH.toNanos()));
        return caller;
    }

    /** After a change made here, this instance believes nothing it checked before. */
    private void forgetChecks() {
        checked.clear();
    }

    // Secrets

    /** What is stored of a secret: its SHA-256, 43 characters. */
    static String digest(String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
