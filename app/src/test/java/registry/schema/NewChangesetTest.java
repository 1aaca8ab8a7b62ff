package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(xml).contains("<changeSet id=\"" + next + "-add-phone-to-users\" author=\"Ada Lovelace\">",
                "logicalFilePath=\"migrations/changes/" + next + "-add-phone-to-users.xml\"", "<rollback>", "Add phone to Users!");
        String master = Files.readString(checkout.resolve("migrations/changelog.xml"));
        assertThat(master).endsWith("    <include file=\"changes/" + next + "-add-phone-to-users.xml\" relativeToChangelogFile=\"true\"/>\n"
                + "</databaseChangeLog>\n");
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
    void slugs_are_lower_case_ascii_words() {
        assertThat(NewChangeset.slug("Rename movies.name → title")).isEqualTo("rename-movies-name-title");
        assertThat(NewChangeset.slug("Élan vital")).isEqualTo("elan-vital");
    }
}
