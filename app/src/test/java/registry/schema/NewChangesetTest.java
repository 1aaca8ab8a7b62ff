package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.config.Config;
import registry.db.Database;
import registry.schema.Migrations.ChangeSetId;

@Tag("sqlite-only")
class NewChangesetTest {
    @TempDir
    Path checkout;

    private void copyMigrations() throws Exception {
        Files.createDirectories(checkout.resolve("migrations/changes"));
        Files.copy(Path.of("migrations/changelog.xml"), checkout.resolve("migrations/changelog.xml"));
        try (var files = Files.list(Path.of("migrations/changes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, checkout.resolve("migrations/changes").resolve(file.getFileName()));
            }
        }
    }

    @Test
    void writes_the_next_numbered_changeset_and_includes_it_last() throws Exception {
        copyMigrations();
        int existing;
        try (var files = Files.list(checkout.resolve("migrations/changes"))) {
            existing = (int) files.count();
        }
        String next = String.format("%04d", existing + 1);

        NewChangeset.Written written = NewChangeset.write(NewChangeset.checkout(checkout.resolve("migrations")), "Add phone to Users!", "Ada Lovelace");

        assertThat(written.file()).isEqualTo(Path.of("migrations/changes/" + next + "-add-phone-to-users.xml"));
        String xml = Files.readString(checkout.resolve(written.file()));
        assertThat(xml).contains("<changeSet id=\"" + next + "-add-phone-to-users\" author=\"Ada Lovelace\" dbms=\"sqlite\">",
                "logicalFilePath=\"migrations/changes/" + next + "-add-phone-to-users.xml\"", "<rollback>", "Add phone to Users!");
        String master = Files.readString(checkout.resolve("migrations/changelog.xml"));
        assertThat(master).endsWith("    <include file=\"changes/" + next + "-add-phone-to-users.xml\" relativeToChangelogFile=\"true\"/>\n"
                + "</databaseChangeLog>\n");
    }

    /** The checkout's changelogs on a new SQLite file, read from its files as the Maven plugin reads them. */
    private <T> T withCheckoutChangelog(java.util.function.Function<Migrations, T> work) throws Exception {
        DirectoryResourceAccessor files = new DirectoryResourceAccessor(checkout);
        try (Database database = Database.open(Config.defaults().withDatabaseUrl("jdbc:sqlite:" + checkout.resolve("scratch.db")))) {
            return work.apply(new Migrations(database, Migrations.CHANGELOG, files));
        } finally {
            files.close();
        }
    }

    @Test
    void the_template_as_written_is_accepted_and_applies_nothing() throws Exception {
        copyMigrations();
        NewChangeset.write(checkout, "add phone to users", NewChangeset.AUTHOR);

        List<ChangeSetId> pendingBefore = withCheckoutChangelog(Migrations::pending);
        List<ChangeSetId> applied = withCheckoutChangelog(Migrations::upgrade);
        List<ChangeSetId> pendingAfter = withCheckoutChangelog(Migrations::pending);

        assertThat(applied).isEqualTo(pendingBefore).extracting(ChangeSetId::path).noneMatch(path -> path.contains("add-phone"));
        assertThat(pendingAfter).isEmpty();
    }

    @Test
    void the_template_says_how_to_write_the_change_and_what_follows_it() throws Exception {
        copyMigrations();
        String xml = Files.readString(checkout.resolve(NewChangeset.write(checkout, "add phone to users", NewChangeset.AUTHOR).file()));

        assertThat(xml).contains("dbms=\"sqlite\"", "dbms=\"postgresql\"", "dbms=\"mariadb,mysql\"", "<rollback>",
                "addColumn", "dropColumn", "registry.user.Users", "UserForm", "stop the server", "mvn -B -q package -DskipTests",
                "db upgrade", "author=\"registry\"");
    }

    @Test
    void uncommented_and_filled_in_the_changesets_apply_and_roll_back() throws Exception {
        copyMigrations();
        Path file = checkout.resolve(NewChangeset.write(checkout, "add phone to users", NewChangeset.AUTHOR).file());
        String filled = Files.readString(file).lines()
                .filter(line -> !line.contains("BEGIN changeSets") && !line.contains("END changeSets"))
                .collect(java.util.stream.Collectors.joining("\n"));
        // Each engine's <sql> then its rollback's, in the order the template gives them.
        for (String sql : List.of("ALTER TABLE users ADD COLUMN phone TEXT", "ALTER TABLE users DROP COLUMN phone",
                "ALTER TABLE users ADD COLUMN phone TEXT", "ALTER TABLE users DROP COLUMN phone",
                "ALTER TABLE users ADD COLUMN phone VARCHAR(30)", "ALTER TABLE users DROP COLUMN phone")) {
            filled = filled.replaceFirst("<sql>\\s*</sql>", "<sql>" + sql + "</sql>");
        }
        Files.writeString(file, filled);

        List<ChangeSetId> applied = withCheckoutChangelog(Migrations::upgrade);
        List<ChangeSetId> undone = withCheckoutChangelog(migrations -> migrations.downgrade(1));

        ChangeSetId added = new ChangeSetId("migrations/changes/" + file.getFileName(),
                file.getFileName().toString().replace(".xml", ""), "registry");
        assertThat(applied).endsWith(added);
        assertThat(undone).containsExactly(added);
    }

    @Test
    void names_the_changeset_files_of_a_checkout_that_the_jar_does_not_carry() throws Exception {
        copyMigrations();
        Files.writeString(checkout.resolve("migrations/changes/0012-add-phone.xml"), "<databaseChangeLog/>");
        Files.writeString(checkout.resolve("migrations/changes/notes.txt"), "not a changeset");

        assertThat(Migrations.notInJar(checkout.resolve("migrations"))).containsExactly("0012-add-phone.xml");
        assertThat(Migrations.notInJar(checkout.resolve("elsewhere"))).isEmpty();
    }

    @Test
    void refuses_clearly_outside_a_checkout() {
        assertThatThrownBy(() -> NewChangeset.checkout(checkout))
                .isInstanceOf(NewChangeset.Refused.class)
                .hasMessageContaining("no migrations/changelog.xml in " + checkout);
    }

    @Test
    void refuses_a_description_without_words() throws Exception {
        copyMigrations();
        assertThatThrownBy(() -> NewChangeset.write(checkout, "  !!! ", "me"))
                .isInstanceOf(NewChangeset.Refused.class).hasMessageContaining("describe the change");
    }

    @Test
    void refuses_an_author_the_xml_cannot_hold_and_keeps_comments_well_formed() throws Exception {
        copyMigrations();
        for (String author : List.of("a\"b", "a <b>", "a & b", "a--b", " ")) {
            assertThatThrownBy(() -> NewChangeset.write(checkout, "add phone", author))
                    .isInstanceOf(NewChangeset.Refused.class).hasMessageContaining("the author must be");
        }
        assertThat(NewChangeset.inComment("a---b -")).isEqualTo("a- - -b - ");
    }

    @Test
    void slugs_are_lower_case_ascii_words() {
        assertThat(NewChangeset.slug("Rename movies.name → title")).isEqualTo("rename-movies-name-title");
        assertThat(NewChangeset.slug("Élan vital")).isEqualTo("elan-vital");
    }
}
