package registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
