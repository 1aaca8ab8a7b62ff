package registry.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import registry.Server;
import registry.access.Role;
import registry.account.Account;
import registry.account.AccountRefused;
import registry.account.Accounts;
import registry.config.Config;
import registry.db.Database;
import registry.history.Actor;
import registry.schema.Migrations;

/**
 * {@code account …}: the accounts that sign in, from the command line (SPEC "Command line"). The
 * first admin of a new installation is made here. Passwords come from the terminal without echo,
 * or from standard input for scripts; none is ever printed.
 */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Manage the accounts that sign in.",
        subcommands = {AccountCommand.Add.class, AccountCommand.ListCommand.class, AccountCommand.Password.class,
            AccountCommand.RoleCommand.class, AccountCommand.Disable.class, AccountCommand.Enable.class,
            AccountCommand.Remove.class, AccountCommand.Token.class})
final class AccountCommand {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * Reads one password from the terminal without echo, after the prompt; null when there is no
     * terminal or it was closed (Ctrl-D). Tests, which have no terminal, put their own here.
     */
    static Function<String, char[]> terminal = prompt -> {
        Console console = System.console();
        return console == null ? null : console.readPassword("%s", prompt);
    };

    private AccountCommand() {}

    /** A command on the accounts of the configured database; {@link #run} returns the exit code. */
    abstract static class OnAccounts implements Callable<Integer> {
        @Mixin
        ConfigOptions configOptions;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Config config = configOptions.load(new HashMap<>());
            try (Database database = Database.open(config)) {
                // The accounts tables must exist. Pending changesets are applied here exactly as serve
                // applies them at start, and refused as serve refuses them (database.migrate-on-start
                // false: "run db upgrade"): an account command never does to the schema what serve
                // would not, and the first admin of a new installation can be made before its first
                // start, as the start line advises, without a db upgrade first.
                Server.migrateOrRefuse(config, new Migrations(database));
                Accounts accounts = new Accounts(database, Clock.systemUTC(), config.security().sessionIdleMinutes());
                return run(accounts, spec.commandLine().getOut());
            } catch (AccountRefused refused) {
                throw new CommandException(refused.getMessage());
            }
        }

        abstract int run(Accounts accounts, PrintWriter out);

        /** The account named {@code name} (ignoring case), or the one-line error saying there is none. */
        static Account named(Accounts accounts, String name) {
            return accounts.find(name).orElseThrow(() -> new CommandException("there is no account named '" + name.strip() + "'"));
        }
    }

    /** Commands that take a new password: from the terminal, typed twice, or once from standard input. */
    abstract static class WithPassword extends OnAccounts {
        @Option(names = "--password-stdin", description = "read the password from the first line of standard input instead of "
                + "the terminal (for scripts)")
        boolean passwordStdin;

        String readPassword(String username) {
            if (passwordStdin) {
                return fromStdin();
            }
            char[] first = terminal.apply("New password for " + username + ": ");
            if (first == null) {
                throw new CommandException("no terminal to read the password from; give --password-stdin and pipe it in");
            }
            char[] second = terminal.apply("The same again: ");
            try {
                if (second == null || !Arrays.equals(first, second)) {
                    throw new CommandException("the two passwords differ; nothing was changed");
                }
                return new String(first);
            } finally {
                Arrays.fill(first, '\0');
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
            }
        }

        /** The first line of standard input, without its line end; spaces are part of a password and stay. */
        private static String fromStdin() {
            try {
                // Not closed: standard input is the process's, not this command's.
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CommandException("--password-stdin: standard input holds no password");
                }
                return line;
            } catch (IOException e) {
                throw new CommandException("--password-stdin: cannot read standard input: " + e.getMessage());
            }
        }
    }

    /** {@code ROLE} as typed, or the one-line error listing the roles. */
    static Role role(String text) {
        return Role.parse(text == null ? "" : text.strip()).orElseThrow(() -> new CommandException("unknown role '" + text
                + "' (roles: " + String.join(", ", Arrays.stream(Role.values()).map(Role::id).toList()) + ")"));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Create an account.",
                "The password is read twice from the terminal, or once from standard input with --password-stdin."})
    static final class Add extends WithPassword {
        @Parameters(paramLabel = "NAME", description = "the username: 3-50 letters, digits, _ . -")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, editor or admin")
        String role;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Role chosen = role(role);
            if (accounts.find(name).isPresent()) {
                throw new CommandException("an account named '" + name.strip() + "' exists already");
            }
            Account account = accounts.add(name, chosen, readPassword(name.strip()), Actor.CLI);
            out.println("Created account " + account.username() + " (" + account.role() + ").");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List every account: name, role, enabled, last sign-in.")
    static final class ListCommand extends OnAccounts {
        @Override
        int run(Accounts accounts, PrintWriter out) {
            List<Account> all = accounts.list();
            if (all.isEmpty()) {
                out.println("No account exists yet; make the first admin with: account add NAME --role admin");
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "ROLE", "ENABLED", "LAST SIGN-IN"});
            for (Account account : all) {
                Instant last = account.lastSignInAt();
                rows.add(new String[] {account.username(), account.role(), account.enabled() ? "yes" : "no",
                    last == null ? "never" : WHEN.format(last)});
            }
            int[] widths = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
                }
                out.println(line);
            }
            return 0;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true,
            description = {"Set a new password for an account; its sessions end.",
                "The password is read twice from the terminal, or once from standard input with --password-stdin."})
    static final class Password extends WithPassword {
        @Parameters(paramLabel = "NAME", description = "the account")
        String name;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Account account = named(accounts, name);
            accounts.setPassword(account.id(), readPassword(account.username()), 0, Actor.CLI);
            out.println("Set a new password for " + account.username() + "; every session of the account has ended.");
            return 0;
        }
    }

    @Command(name = "role", mixinStandardHelpOptions = true,
            description = {"Change the role of an account.", "The last enabled admin cannot be demoted."})
    static final class RoleCommand extends OnAccounts {
        @Parameters(index = "0", paramLabel = "NAME", description = "the account")
        String name;

        @Parameters(index = "1", paramLabel = "ROLE", description = "viewer, editor or admin")
        String role;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Role chosen = role(role);
            Account account = accounts.setRole(named(accounts, name).id(), chosen, Actor.CLI);
            out.println(account.username() + " is now " + account.role() + ".");
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = {"Stop an account from signing in; its sessions end and its tokens stop working.",
                "The last enabled admin cannot be disabled."})
    static final class Disable extends OnAccounts {
        @Parameters(paramLabel = "NAME", description = "the account")
        String name;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Account account = accounts.setEnabled(named(accounts, name).id(), false, Actor.CLI);
            out.println("Disabled " + account.username() + "; its sessions have ended.");
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a disabled account sign in again.")
    static final class Enable extends OnAccounts {
        @Parameters(paramLabel = "NAME", description = "the account")
        String name;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Account account = accounts.setEnabled(named(accounts, name).id(), true, Actor.CLI);
            out.println("Enabled " + account.username() + ".");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove an account with its sessions and tokens.", "The last enabled admin cannot be removed."})
    static final class Remove extends OnAccounts {
        @Parameters(paramLabel = "NAME", description = "the account")
        String name;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            Account account = named(accounts, name);
            accounts.remove(account.id(), Actor.CLI);
            out.println("Removed " + account.username() + " with its sessions and tokens.");
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {"Create an API token for an account and print it, once.",
                "The token alone goes to standard output; it cannot be shown again."})
    static final class Token extends OnAccounts {
        @Parameters(index = "0", paramLabel = "NAME", description = "the account")
        String name;

        @Parameters(index = "1", paramLabel = "TOKEN_NAME", description = "what the token is for, such as \"nightly import\"")
        String tokenName;

        @Option(names = "--access", required = true, paramLabel = "ACCESS",
                description = "read (GET requests only) or write (what the account's role allows)")
        String access;

        @Option(names = "--expires-days", paramLabel = "N", description = "the token stops working after N days, 1 to 365 "
                + "(default: never)")
        Integer expiresDays;

        @Override
        int run(Accounts accounts, PrintWriter out) {
            if (!"read".equals(access) && !"write".equals(access)) {
                throw new CommandException("--access: expected read or write, got '" + access + "'");
            }
            if (expiresDays != null && (expiresDays < 1 || expiresDays > 365)) {
                throw new CommandException("--expires-days: expected 1 to 365, got " + expiresDays);
            }
            Account account = named(accounts, name);
            Accounts.NewToken token = accounts.createToken(account.id(), tokenName, access, expiresDays, Actor.CLI);
            out.println(token.secret());
            spec.commandLine().getErr().println("Created the " + access + " token '" + tokenName.strip() + "' for "
                    + account.username() + (expiresDays == null ? "" : ", for " + expiresDays + " day(s)")
                    + ". It is shown this once: keep it now.");
            return 0;
        }
    }
}
