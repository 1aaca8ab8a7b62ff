package registry.schema;

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
import registry.schema.Migrations.ChangeSetId;
import registry.support.TestDb;

/**
 * The Liquibase Maven plugin and the jar agree on what is applied: a changeset's identity (id,
 * author, logical path) is the same whether the changelog was read from the jar's class path or
 * from the repository's files.
 */
@Tag("sqlite-only")
@Tag("slow")
class MavenPluginTest {
    @TempDir
    Path dir;

    private record Result(int code, String output) {}

    /**
     * Runs Maven on our pom with {@code goals}, in order, in one process (each start of Maven costs
     * seconds). Not offline: the build resolves the plugin only when a goal of it is asked for, so
     * on a fresh machine the first of these runs downloads it.
     */
    private static Result mvn(List<String> goals, Path db, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "-f", System.getProperty("project.pom")));
        command.addAll(goals);
        command.add("-Dliquibase.url=jdbc:sqlite:" + db);
        command.addAll(List.of(more));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // A Maven run of seconds, as the test JVMs are run (pom.xml): C1 only, one GC thread.
        builder.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void the_plugin_accepts_a_new_changeset_as_db_new_wrote_it_and_applies_nothing_of_it() throws Exception {
        Path checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("migrations/changes"));
        Files.copy(Path.of("migrations/changelog.xml"), checkout.resolve("migrations/changelog.xml"));
        try (var files = Files.list(Path.of("migrations/changes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, checkout.resolve("migrations/changes").resolve(file.getFileName()));
            }
        }
        NewChangeset.write(checkout, "add phone to users", NewChangeset.AUTHOR);
        Path db = dir.resolve("registry.db");
        String searchPath = "-Dliquibase.searchPath=" + checkout;

        Result run = mvn(List.of("liquibase:status", "liquibase:update", "liquibase:status"), db, searchPath);

        assertThat(run.code()).as(run.output()).isZero();
        // What the second status says, after the update: everything the changelog holds is applied.
        String after = run.output().substring(run.output().lastIndexOf(":status (default-cli)"));
        assertThat(after).contains("is up to date");
        try (TestDb applied = TestDb.at(db)) {
            assertThat(applied.migrations.history()).extracting(row -> row.changeSet().id()).noneMatch(id -> id.contains("add-phone"));
            assertThat(applied.migrations.pending()).isEmpty();
        }
    }

    @Test
    void a_database_upgraded_by_the_jar_is_up_to_date_for_the_plugin() throws Exception {
        try (TestDb db = TestDb.in(dir)) {
            assertThat(db.migrations.pending()).isEmpty();

            Result status = mvn(List.of("liquibase:status"), dir.resolve("registry.db"));

            assertThat(status.code()).as(status.output()).isZero();
            assertThat(status.output()).contains("is up to date").doesNotContain("have not been applied");
        }
    }

    @Test
    void a_database_upgraded_and_rolled_back_by_the_plugin_reads_the_same_to_the_jar() throws Exception {
        Path file = dir.resolve("registry.db");
        Result update = mvn(List.of("liquibase:update"), file);
        assertThat(update.code()).as(update.output()).isZero();

        try (TestDb db = TestDb.empty(dir)) {
            List<ChangeSetId> changelog = db.migrations.history().stream().map(Migrations.Applied::changeSet).toList();
            assertThat(db.migrations.pending()).isEmpty();
            assertThat(changelog).extracting(ChangeSetId::path).allMatch(path -> path.startsWith("migrations/changes/"));

            Result run = mvn(List.of("liquibase:rollback", "liquibase:history"), file, "-Dliquibase.rollbackCount=1");

            assertThat(run.code()).as(run.output()).isZero();
            assertThat(db.migrations.pending()).containsExactly(changelog.get(changelog.size() - 1));
            assertThat(run.output().substring(run.output().lastIndexOf(":history (default-cli)")))
                    .contains("0001-create-users", "migrations/changes/0001-create-users.xml");
        }
    }
}
