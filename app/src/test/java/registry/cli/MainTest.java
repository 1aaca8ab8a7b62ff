package registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import registry.support.ChildApp;

/** The command line as a user meets it: exit codes and the one line an error prints. */
@Tag("sqlite-only")
class MainTest {
    @TempDir
    Path dir;

    private static MainAccess.Run run(String... args) {
        return MainAccess.run(args);
    }

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("registry.db");
    }

    @Test
    void a_bad_port_stops_with_one_line_and_exit_2() {
        MainAccess.Run run = run("--port", "http", "--database-url", url());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("registry: server.port: expected a whole number, got 'http' from --port" + System.lineSeparator());
    }

    @Test
    void a_bad_history_keep_days_stops_with_one_line_and_exit_2() throws java.io.IOException {
        Path file = dir.resolve("registry.properties");
        java.nio.file.Files.writeString(file, "history.keep-days=-1\n");
        MainAccess.Run run = run("--config", file.toString(), "--database-url", url());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("registry: history.keep-days: -1 from ").hasLineCount(1);
    }

    @Test
    void an_unknown_engine_stops_with_exit_2() {
        MainAccess.Run run = run("--database-url", "jdbc:oracle:thin:@db:1521/x");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("registry: database.url: unsupported database").hasLineCount(1);
    }

    @Test
    void an_unreachable_database_stops_with_exit_2() {
        MainAccess.Run run = run("--database-url", "jdbc:sqlite:" + dir.resolve("missing/dir/registry.db"), "--port", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("registry: database.url: cannot open").hasLineCount(1);
    }

    @Test
    void an_unreachable_database_server_stops_with_one_line_and_exit_2() {
        for (String url : new String[] {"jdbc:postgresql://127.0.0.1:1/registry", "jdbc:mariadb://127.0.0.1:1/registry",
                "jdbc:mysql://127.0.0.1:1/registry"}) {
            MainAccess.Run run = run("--database-url", url, "--port", "0");

            assertThat(run.code()).as(url).isEqualTo(2);
            assertThat(run.err()).as(url).startsWith("registry: database.url: cannot open " + url).hasLineCount(1);
        }
    }

    @Test
    void a_bad_value_in_the_config_file_stops_with_exit_2() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "database.pool-timeout=soon\n");

        MainAccess.Run run = run("serve", "--config", file.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("database.pool-timeout: expected a whole number, got 'soon'");
    }

    @Test
    void an_unknown_option_is_a_usage_error_with_exit_2() {
        MainAccess.Run run = run("--colour", "blue");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown options: '--colour', 'blue'");
    }

    @Test
    void help_lists_the_options_and_exits_0() {
        MainAccess.Run run = run("--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("--port", "--host", "--database-url", "--config", "serve", "db");
    }

    @Test
    void serve_refuses_pending_changesets_when_told_not_to_migrate() throws Exception {
        Path file = Files.writeString(dir.resolve("registry.properties"), "database.migrate-on-start=false\n");

        MainAccess.Run run = run("--database-url", url(), "--config", file.toString(), "--port", "0");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).containsPattern("database.migrate-on-start is false and \\d+ changeset\\(s\\) are pending")
                .contains(
                "migrations/changes/0001-create-users.xml::0001-create-users::registry", "db upgrade").hasLineCount(1);
    }

    @Test
    void in_memory_sqlite_is_refused_by_serve_and_every_db_and_account_command_in_one_line() {
        List<List<String>> commands = new ArrayList<>(List.of(List.of(), List.of("serve")));
        for (String db : List.of("upgrade", "downgrade", "history", "current", "check", "sql", "unlock", "restore x.db", "tag v1",
                "backup " + dir.resolve("b.db"))) {
            commands.add(List.of(("db " + db).split(" ")));
        }
        commands.add(List.of("account", "list"));
        // Every command with the usual URL, and every form of the URL on serve (DatabaseUrlTest has them all).
        for (String url : List.of("jdbc:sqlite::memory:", "jdbc:sqlite:", "jdbc:sqlite:file::memory:?cache=shared",
                "jdbc:sqlite:file:x.db?mode=memory")) {
            for (List<String> command : url.equals("jdbc:sqlite::memory:") ? commands : commands.subList(0, 1)) {
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of("--database-url", url));
                MainAccess.Run run = run(args.toArray(String[]::new));

                assertThat(run.code()).as(args.toString()).isEqualTo(2);
                assertThat(run.err()).as(args.toString()).isEqualTo("registry: database.url: in-memory SQLite is not supported: "
                        + "Registry keeps its data in a file; give jdbc:sqlite:PATH" + System.lineSeparator());
            }
            MainAccess.Run copy = run("db", "copy", "--from", url, "--to", url());
            assertThat(copy.code()).isEqualTo(2);
            assertThat(copy.err()).startsWith("registry: --from: in-memory SQLite is not supported").hasLineCount(1);
        }
    }

    @Test
    void no_error_or_log_line_shows_a_password_from_the_url() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<MainAccess.Run> runs = new ArrayList<>();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            // Each unreachable server costs a second of the pool's start; DatabaseUrlTest has the other URL forms.
            String server = "jdbc:postgresql://127.0.0.1:1/registry?user=u&password=hunter2";
            String sqlite = "jdbc:sqlite:" + dir.resolve("missing/registry.db") + "?user=u&password=hunter2";
            runs.add(run("--database-url", server, "--port", "0"));
            runs.add(run("db", "copy", "--from", url(), "--to", server));
            runs.add(run("db", "check", "--database-url", sqlite));
            runs.add(run("db", "backup", dir.resolve("b.db").toString(), "--database-url", sqlite));
            runs.add(run("--database-url", "jdbc:oracle:thin:u/hunter2@db:1521/x?password=hunter2"));
        } finally {
            System.setErr(stderr);
        }
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).doesNotContain("hunter2").hasLineCount(1);
            assertThat(r.out()).doesNotContain("hunter2");
        });
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2");
        assertThat(runs.get(0).err()).contains("cannot open jdbc:postgresql://127.0.0.1:1/registry?user=u&password=***:");
    }

    @Test
    @Tag("slow")
    void the_start_line_shows_the_url_without_its_password() throws Exception {
        try (ChildApp app = ChildApp.start(url() + "?user=u&password=hunter2")) {
            app.base();
            app.terminate();

            assertThat(app.log()).anySatisfy(line -> assertThat(line).contains("Registry serving http://127.0.0.1:", "password=***"))
                    .noneSatisfy(line -> assertThat(line).contains("hunter2"));
        }
    }

    @Test
    void a_busy_port_stops_at_once_naming_server_port_before_the_database_is_touched() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path db = dir.resolve("new.db");
            long start = System.nanoTime();

            MainAccess.Run run = run("serve", "--port", Integer.toString(busy.getLocalPort()), "--database-url", "jdbc:sqlite:" + db);

            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).startsWith("registry: server.port: cannot listen on 127.0.0.1:" + busy.getLocalPort()).hasLineCount(1);
            assertThat(db).doesNotExist();
            assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(2_000);
        }
    }

    /** The class-data archive is trained on what it serves: signed in, every page answers as expected, or the build stops. */
    @Test
    void the_warm_up_signs_in_through_the_form_and_is_served_each_page_it_asks_for() {
        MainAccess.Run run = run("warm-up");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void an_unknown_command_is_one_line_naming_it_and_exit_2() {
        for (String[] args : new String[][] {{"accounts", "--help"}, {"nosuch"}, {"db", "nosuch"}, {"db", "nosuch", "--help"}}) {
            MainAccess.Run run = run(args);

            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.out()).as(String.join(" ", args)).isEmpty();
            assertThat(run.err()).as(String.join(" ", args)).contains("unknown command '" + args[args.length > 1 && args[0].equals("db") ? 1 : 0] + "'")
                    .hasLineCount(1);
        }
    }

    @Test
    void every_help_fits_80_columns_and_every_command_summary_is_a_whole_sentence() {
        List<CommandLine> all = new ArrayList<>();
        collect(new CommandLine(new Main()), all);
        assertThat(all).hasSizeGreaterThan(10);
        for (CommandLine command : all) {
            String name = command.getCommandSpec().qualifiedName();
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help.lines()).as(name).allSatisfy(line -> assertThat(line.length()).as(name + ": " + line).isLessThanOrEqualTo(80));
            // In a command list, picocli shows the first line of each subcommand's description.
            for (CommandLine sub : command.getSubcommands().values()) {
                if (!sub.getCommandSpec().usageMessage().hidden()) {
                    String[] description = sub.getCommandSpec().usageMessage().description();
                    String summary = String.format(description[0]).lines().findFirst().orElse("").strip();
                    assertThat(summary).as(sub.getCommandSpec().qualifiedName()).endsWith(".");
                }
            }
        }
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, all));
    }
}
