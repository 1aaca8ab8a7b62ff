package registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code db new} then {@code db check}, run as a user runs them: from a checkout, by a JVM whose
 * working directory it is, on a jar (here the compiled classes) built before the new file.
 */
@Tag("sqlite-only")
@Tag("slow")
class DbNewInCheckoutTest {
    @TempDir
    Path checkout;

    private record Run(int code, String out, String err) {}

    private Run registry(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "registry.cli.Main"));
        command.addAll(List.of(args));
        Path err = checkout.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(checkout.toFile()).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, Files.readString(err));
    }

    @Test
    void check_warns_of_a_changeset_written_since_the_jar_was_built_and_keeps_its_exit_code() throws Exception {
        Files.createDirectories(checkout.resolve("migrations/changes"));
        Files.copy(Path.of("migrations/changelog.xml"), checkout.resolve("migrations/changelog.xml"));
        try (var files = Files.list(Path.of("migrations/changes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, checkout.resolve("migrations/changes").resolve(file.getFileName()));
            }
        }
        String url = "jdbc:sqlite:" + checkout.resolve("registry.db");
        Run upgrade = registry("db", "upgrade", "--database-url", url);

        Run created = registry("db", "new", "add phone to users");
        Run check = registry("db", "check", "--database-url", url);

        assertThat(upgrade.code()).as(upgrade.err()).isZero();
        assertThat(created.code()).as(created.err()).isZero();
        Path file = checkout.resolve(created.out().replaceAll("(?s)^Wrote (\\S+) and included.*", "$1"));
        assertThat(Files.readString(file)).contains("author=\"registry\" dbms=\"sqlite\"");
        assertThat(check.code()).as("the jar's changesets are all applied").isZero();
        assertThat(check.out()).isEqualTo("Schema is current." + System.lineSeparator());
        assertThat(check.err()).isEqualTo("migrations/ holds changesets this jar does not: " + file.getFileName()
                + "; rebuild the jar (mvn -B -q package -DskipTests)" + System.lineSeparator());
    }
}
