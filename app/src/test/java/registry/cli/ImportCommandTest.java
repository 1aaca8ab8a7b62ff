package registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.db.Database;
import registry.support.TestEngine;

/** {@code import KIND FILE [--dry-run]} as an operator or a script runs it: output, exit codes, what it writes. */
class ImportCommandTest {
    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void newDatabase() {
        url = TestEngine.newDatabaseUrl(dir);
    }

    private MainAccess.Run importing(String... args) {
        List<String> full = new java.util.ArrayList<>(List.of("import"));
        full.addAll(List.of(args));
        full.addAll(List.of("--database-url", url));
        return MainAccess.run(full.toArray(String[]::new));
    }

    private Path file(String name, String csv) throws IOException {
        return Files.writeString(dir.resolve(name), csv, StandardCharsets.UTF_8);
    }

    private long count(String sql) {
        try (Database database = Database.open(Config.defaults().withDatabaseUrl(url))) {
            return database.read(h -> h.createQuery(sql).mapTo(Long.class).one());
        }
    }

    @Test
    void a_valid_file_is_imported_with_progress_on_stderr_and_the_counts_on_stdout_and_exit_0() throws IOException {
        Path movies = file("movies.csv", "title,year\nStalker,1979\nSolaris,1972\n");

        MainAccess.Run run = importing("movies", movies.toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).matches("Imported 2 rows: 2 created, 0 updated, 0 unchanged in \\d+\\.\\d s\\.\\R");
        assertThat(run.err()).contains("import: 2 rows, 0.0 of 0.0 MB read");
        assertThat(count("SELECT count(*) FROM movies")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM history WHERE actor = 'cli' AND via = 'import' AND import_id IS NOT NULL")).isEqualTo(2);

        MainAccess.Run again = importing("movies", movies.toString());
        assertThat(again.out()).startsWith("Imported 2 rows: 0 created, 0 updated, 2 unchanged");
    }

    @Test
    void invalid_rows_are_listed_by_line_nothing_is_written_and_the_exit_code_is_1() throws IOException {
        Path people = file("people.csv", "name,born\nAda Lovelace,1815\n,1900\nGrace Hopper,1700\n");

        MainAccess.Run run = importing("people", people.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out().lines()).containsExactly(
                "line 3: name: Name is required",
                "line 4: born: Born must be a year from 1800 to " + java.time.Year.now().getValue(),
                "2 invalid rows; nothing was imported.");
        assertThat(count("SELECT count(*) FROM people")).isZero();
    }

    @Test
    void a_file_that_cannot_be_read_is_not_reported_as_zero_invalid_rows() throws IOException {
        Path credits = file("credits.csv", "who,what\nAda,director\n");

        MainAccess.Run run = importing("credits", credits.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out().lines()).last().isEqualTo("The file cannot be read as it is; nothing was imported.");
        assertThat(run.out()).doesNotContain("0 invalid rows");
    }

    @Test
    void a_dry_run_says_what_it_would_do_and_changes_nothing() throws IOException {
        Path users = file("users.csv", "username,email\nada,ada@example.org\n");

        MainAccess.Run run = importing("users", users.toString(), "--dry-run");

        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("Would import 1 row: 1 created, 0 updated, 0 unchanged").contains("a dry run: nothing was changed");
        assertThat(count("SELECT count(*) FROM users")).isZero();
    }

    @Test
    void usage_errors_are_one_line_and_exit_2() throws IOException {
        Path movies = file("movies.csv", "title\nStalker\n");

        MainAccess.Run kind = importing("studios", movies.toString());
        MainAccess.Run missing = importing("movies", dir.resolve("nope.csv").toString());
        MainAccess.Run directory = importing("movies", dir.toString());
        MainAccess.Run noFile = MainAccess.run("import", "movies");

        assertThat(kind.code()).isEqualTo(2);
        assertThat(kind.err().strip()).isEqualTo("registry: cannot import 'studios': the kinds are users, people, movies and credits");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("registry: no such file: " + dir.resolve("nope.csv"));
        assertThat(directory.code()).isEqualTo(2);
        assertThat(directory.err().strip()).endsWith("is a directory, not a CSV file");
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err().lines()).hasSize(1);
        assertThat(noFile.err()).contains("FILE");
    }

    @Test
    void help_says_what_the_command_does() {
        MainAccess.Run help = MainAccess.run("import", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: registry import", "KIND", "FILE", "--dry-run", "users, people, movies or credits",
                "one invalid row and\nnothing is written");
    }
}
