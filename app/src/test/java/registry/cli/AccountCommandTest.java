package registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.access.Caller;
import registry.access.Role;
import registry.account.Account;
import registry.account.Accounts;
import registry.config.Config;
import registry.db.Database;
import registry.support.TestEngine;
import registry.support.TestServer;

/** The account commands through the command line, as an operator or a script runs them. */
class AccountCommandTest {
    private static final String PASSWORD = "quiet-harbour-lantern-71";
    private static final String OTHER = "amber-kettle-on-the-moor-9";

    @TempDir
    Path dir;

    private String url;
    private InputStream stdin;
    private Function<String, char[]> terminal;

    @BeforeEach
    void newDatabase() {
        url = TestEngine.newDatabaseUrl(dir);
        stdin = System.in;
        terminal = AccountCommand.terminal;
    }

    @AfterEach
    void restore() {
        System.setIn(stdin);
        AccountCommand.terminal = terminal;
    }

    private MainAccess.Run account(String... args) {
        List<String> full = new ArrayList<>(List.of("account"));
        full.addAll(List.of(args));
        full.addAll(List.of("--database-url", url));
        return MainAccess.run(full.toArray(String[]::new));
    }

    /** The command with {@code input} on its standard input. */
    private MainAccess.Run piped(String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return account(args);
        } finally {
            System.setIn(stdin);
        }
    }

    private MainAccess.Run add(String name, String role) {
        MainAccess.Run run = piped(PASSWORD + "\n", "add", name, "--role", role, "--password-stdin");
        assertThat(run.code()).as(run.err()).isZero();
        return run;
    }

    /** Exit 2, nothing on standard output, one line on standard error naming the problem; never a password. */
    private static void refused(MainAccess.Run run, String message) {
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("registry: ").contains(message).hasLineCount(1)
                .doesNotContain(PASSWORD, OTHER, "Exception", "\tat ");
    }

    /** A look at the accounts as the server sees them, on a connection of its own. */
    private <T> T withAccounts(Function<Accounts, T> look) {
        try (Database database = Database.open(Config.defaults().withDatabaseUrl(url))) {
            return look.apply(new Accounts(database, Clock.systemUTC(), 480));
        }
    }

    /** The session or token {@code secret} proves, if any, asked afresh. */
    private Optional<Caller> proves(String secret) {
        return withAccounts(accounts -> secret.startsWith("reg_") ? accounts.token(secret) : accounts.session(secret));
    }

    private Optional<Account> find(String name) {
        return withAccounts(accounts -> accounts.find(name));
    }

    private boolean signsIn(String name, String password) {
        return withAccounts(accounts -> accounts.signIn(name, password, "127.0.0.1", "test")) instanceof Accounts.SignIn.Done;
    }

    @Test
    void add_with_password_stdin_creates_an_account_that_signs_in_through_the_form() {
        MainAccess.Run run = piped(PASSWORD + "\n", "add", "Editor.One", "--role", "editor", "--password-stdin");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("Created account Editor.One (editor)." + System.lineSeparator());
        assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
        try (TestServer server = TestServer.start(Config.defaults().withDatabaseUrl(url).withPort(0))) {
            TestServer.Browser browser = TestServer.browser(server.base).signIn("editor.one", PASSWORD);
            HttpResponse<String> me = browser.get("/api/me");

            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains("\"username\":\"Editor.One\"", "\"role\":\"editor\"");
        }
    }

    @Test
    void add_applies_pending_changesets_as_serve_would_or_refuses_as_serve_does() throws Exception {
        Path noMigrating = Files.writeString(dir.resolve("registry.properties"), "database.migrate-on-start=false\n");
        System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
        MainAccess.Run behind = MainAccess.run("account", "add", "first", "--role", "admin", "--password-stdin",
                "--database-url", url, "--config", noMigrating.toString());

        refused(behind, "changeset(s) are pending");
        assertThat(behind.err()).contains("run: java -jar registry.jar db upgrade");
        assertThat(add("first", "admin").out()).contains("Created account first (admin).");
    }

    @Test
    void add_reads_the_password_twice_from_the_terminal_and_refuses_two_that_differ() {
        Deque<String> typed = new ArrayDeque<>(List.of(PASSWORD, PASSWORD, PASSWORD, OTHER));
        List<String> prompts = new ArrayList<>();
        AccountCommand.terminal = prompt -> {
            prompts.add(prompt);
            return typed.isEmpty() ? null : typed.pop().toCharArray();
        };

        MainAccess.Run same = account("add", "typed", "--role", "viewer");
        MainAccess.Run differ = account("add", "mistyped", "--role", "viewer");

        assertThat(same.code()).as(same.err()).isZero();
        assertThat(prompts).containsExactly("New password for typed: ", "The same again: ", "New password for mistyped: ",
                "The same again: ");
        assertThat(signsIn("typed", PASSWORD)).isTrue();
        refused(differ, "registry: the two passwords differ; nothing was changed");
        assertThat(find("mistyped")).isEmpty();
    }

    @Test
    void add_without_a_terminal_says_to_use_password_stdin() {
        AccountCommand.terminal = prompt -> null;

        refused(account("add", "nobody", "--role", "admin"), "registry: no terminal to read the password from; give --password-stdin");
        refused(piped("", "add", "nobody", "--role", "admin", "--password-stdin"),
                "registry: --password-stdin: standard input holds no password");
        assertThat(find("nobody")).isEmpty();
    }

    @Test
    void add_refuses_bad_input_in_one_line_and_creates_nothing() {
        add("taken", "viewer");

        refused(piped(PASSWORD, "add", "someone", "--password-stdin"), "registry: account add: Missing required option: '--role=ROLE'");
        refused(piped(PASSWORD, "add", "someone", "--role", "boss", "--password-stdin"),
                "registry: unknown role 'boss' (roles: viewer, editor, admin)");
        refused(piped("password1234\n", "add", "someone", "--role", "viewer", "--password-stdin"),
                "registry: Password is too common or too easy to guess");
        refused(piped("short\n", "add", "someone", "--role", "viewer", "--password-stdin"), "registry: Password must be 10 to 200");
        refused(piped("someone-" + PASSWORD + "\n", "add", "someone", "--role", "viewer", "--password-stdin"),
                "registry: Password must not contain the username");
        refused(piped(PASSWORD + "\n", "add", "TAKEN", "--role", "viewer", "--password-stdin"), "registry: an account named 'TAKEN' exists already");
        refused(piped(PASSWORD + "\n", "add", "no way", "--role", "viewer", "--password-stdin"), "registry: Username");

        assertThat(withAccounts(Accounts::list)).extracting(Account::username).containsExactly("taken");
    }

    @Test
    void list_shows_name_role_enabled_and_last_sign_in_in_a_table() {
        MainAccess.Run empty = account("list");
        add("zed", "admin");
        add("amy", "viewer");
        account("disable", "amy");
        assertThat(signsIn("zed", PASSWORD)).isTrue();

        MainAccess.Run list = account("list");

        assertThat(empty.code()).isZero();
        assertThat(empty.out()).contains("No account exists yet", "account add NAME --role admin");
        assertThat(list.code()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("NAME  ROLE    ENABLED  LAST SIGN-IN");
        assertThat(lines.get(1)).isEqualTo("amy   viewer  no       never");
        assertThat(lines.get(2)).matches("zed   admin   yes      \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC");
    }

    @Test
    void password_sets_a_new_one_and_ends_every_session_of_the_account() {
        add("ops", "admin");
        String session = withAccounts(accounts -> ((Accounts.SignIn.Done) accounts.signIn("ops", PASSWORD, "127.0.0.1", "test")).secret());

        MainAccess.Run run = piped(OTHER + "\n", "password", "OPS", "--password-stdin");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Set a new password for ops; every session of the account has ended.").doesNotContain(OTHER);
        assertThat(proves(session)).isEmpty();
        assertThat(signsIn("ops", PASSWORD)).isFalse();
        assertThat(signsIn("ops", OTHER)).isTrue();
        refused(piped(OTHER + "\n", "password", "ghost", "--password-stdin"), "registry: there is no account named 'ghost'");
        refused(piped("ops-is-my-name-1234\n", "password", "ops", "--password-stdin"), "registry: Password must not contain the username");
        assertThat(signsIn("ops", OTHER)).isTrue();
    }

    @Test
    void role_changes_it_but_the_last_enabled_admin_cannot_be_demoted() {
        add("boss", "admin");
        add("helper", "viewer");

        MainAccess.Run promoted = account("role", "helper", "editor");

        assertThat(promoted.code()).as(promoted.err()).isZero();
        assertThat(promoted.out()).isEqualTo("helper is now editor." + System.lineSeparator());
        refused(account("role", "boss", "editor"), "registry: The last enabled admin cannot be demoted");
        refused(account("role", "helper", "owner"), "registry: unknown role 'owner'");
        refused(account("role", "ghost", "viewer"), "registry: there is no account named 'ghost'");
        refused(account("role", "helper"), "registry: account role: Missing required parameter: 'ROLE'");
        assertThat(find("boss").orElseThrow().access()).isEqualTo(Role.ADMIN);
        assertThat(account("role", "helper", "admin").code()).isZero();
        assertThat(account("role", "boss", "viewer").code()).as("another admin is left").isZero();
    }

    @Test
    void disable_stops_sign_in_and_enable_allows_it_again_but_the_last_enabled_admin_stays() {
        add("boss", "admin");
        add("temp", "editor");
        String session = withAccounts(accounts -> ((Accounts.SignIn.Done) accounts.signIn("temp", PASSWORD, "127.0.0.1", "test")).secret());

        MainAccess.Run disabled = account("disable", "temp");

        assertThat(disabled.code()).as(disabled.err()).isZero();
        assertThat(disabled.out()).contains("Disabled temp; its sessions have ended.");
        assertThat(proves(session)).isEmpty();
        assertThat(signsIn("temp", PASSWORD)).isFalse();
        assertThat(account("enable", "temp").out()).contains("Enabled temp.");
        assertThat(signsIn("temp", PASSWORD)).isTrue();
        refused(account("disable", "boss"), "registry: The last enabled admin cannot be disabled");
        refused(account("enable", "ghost"), "registry: there is no account named 'ghost'");
        assertThat(signsIn("boss", PASSWORD)).isTrue();
    }

    @Test
    void remove_takes_the_account_and_its_tokens_but_never_the_last_enabled_admin() {
        add("boss", "admin");
        add("leaving", "viewer");
        String token = account("token", "leaving", "reading", "--access", "read").out().strip();

        MainAccess.Run removed = account("remove", "leaving");

        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("Removed leaving with its sessions and tokens.");
        assertThat(find("leaving")).isEmpty();
        assertThat(proves(token)).isEmpty();
        refused(account("remove", "boss"), "registry: The last enabled admin cannot be removed");
        refused(account("remove", "leaving"), "registry: there is no account named 'leaving'");
        assertThat(find("boss")).isPresent();
    }

    @Test
    void token_prints_the_new_token_alone_on_standard_output_once() {
        add("robot", "editor");

        MainAccess.Run write = account("token", "robot", "nightly import", "--access", "write", "--expires-days", "30");
        MainAccess.Run read = account("token", "robot", "dashboard", "--access", "read");

        assertThat(write.code()).as(write.err()).isZero();
        assertThat(write.out()).matches("reg_[A-Za-z0-9_-]{43}\\R");
        assertThat(write.err()).contains("'nightly import'", "robot", "30 day(s)", "shown this once").doesNotContain(write.out().strip());
        Caller writer = proves(write.out().strip()).orElseThrow();
        Caller reader = proves(read.out().strip()).orElseThrow();
        assertThat(writer.username()).isEqualTo("robot");
        assertThat(writer.readOnly()).isFalse();
        assertThat(reader.readOnly()).isTrue();
        List<?> tokens = withAccounts(accounts -> accounts.tokens(find("robot").orElseThrow().id()));
        assertThat(tokens).hasSize(2);

        refused(account("token", "robot", "x", "--access", "admin"), "registry: --access: expected read or write, got 'admin'");
        refused(account("token", "robot", "x"), "registry: account token: Missing required option: '--access=ACCESS'");
        refused(account("token", "robot", "x", "--access", "read", "--expires-days", "0"), "registry: --expires-days: expected 1 to 365, got 0");
        refused(account("token", "robot", "x", "--access", "read", "--expires-days", "soon"), "registry: account token: Invalid value");
        refused(account("token", "ghost", "x", "--access", "read"), "registry: there is no account named 'ghost'");
        refused(account("token", "robot", " ", "--access", "read"), "registry: Name is required");
    }

    @Test
    void every_account_command_has_help_and_an_unknown_one_is_one_line() {
        for (String command : List.of("add", "list", "password", "role", "disable", "enable", "remove", "token")) {
            MainAccess.Run help = MainAccess.run("account", command, "--help");

            assertThat(help.code()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: registry account " + command).contains("--database-url");
        }
        assertThat(MainAccess.run("account", "--help").out()).contains("add", "list", "password", "role", "disable", "enable",
                "remove", "token");
        refused(MainAccess.run("account", "promote", "x"), "registry: account: unknown command 'promote'");
        refused(MainAccess.run("account"), "registry: account: Missing required subcommand");
    }
}
