package registry.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code db new "add phone to users"}: writes the next numbered changeset file under
 * {@code migrations/changes/}, a template to fill in that does nothing until then, and includes it at
 * the end of the master changelog, like {@code flask db revision -m}.
 */
public final class NewChangeset {
    private static final Pattern NUMBERED = Pattern.compile("^(\\d{4})-.*\\.xml$");
    private static final String END = "</databaseChangeLog>";
    /** The project's author on every changeset, unless {@code db new --author} says otherwise. */
    public static final String AUTHOR = "registry";

    /** Where the files went, relative to the checkout. */
    public record Written(Path file, Path changelog) {}

    /** Why no file was written; the message is meant for the user as it is. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private NewChangeset() {}

    /** The checkout holding {@code migrations/changelog.xml}: {@code from} or the nearest folder above it. */
    public static Path checkout(Path from) {
        for (Path dir = from.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("migrations/changelog.xml"))) {
                return dir;
            }
        }
        throw new Refused("db new writes into a Registry checkout, and there is no migrations/changelog.xml in "
                + from.toAbsolutePath().normalize() + " or above it; run it from your clone of the repository");
    }

    public static Written write(Path checkout, String description, String author) {
        checkAuthor(author);
        String slug = slug(description);
        if (slug.isEmpty()) {
            throw new Refused("describe the change in a few words, such as: db new \"add phone to users\"");
        }
        Path changes = checkout.resolve("migrations/changes");
        Path changelog = checkout.resolve("migrations/changelog.xml");
        try {
            Files.createDirectories(changes);
            String id = String.format("%04d-%s", nextNumber(changes), slug);
            Path file = changes.resolve(id + ".xml");
            String master = Files.readString(changelog, StandardCharsets.UTF_8);
            int end = master.lastIndexOf(END);
            if (end < 0) {
                throw new Refused(changelog + " has no " + END + " to include the new file before");
            }
            Files.writeString(file, template(id, author.strip(), description.strip()), StandardCharsets.UTF_8);
            String include = "    <include file=\"changes/" + id + ".xml\" relativeToChangelogFile=\"true\"/>\n";
            Files.writeString(changelog, master.substring(0, end) + include + master.substring(end), StandardCharsets.UTF_8);
            return new Written(checkout.relativize(file), checkout.relativize(changelog));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "Add phone to Users!" → "add-phone-to-users". */
    static String slug(String description) {
        String ascii = Normalizer.normalize(description, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.length() > 60 ? slug.substring(0, 60).replaceAll("-+$", "") : slug;
    }

    private static int nextNumber(Path changes) throws IOException {
        try (Stream<Path> files = Files.list(changes)) {
            return files.map(f -> NUMBERED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max().orElse(0) + 1;
        }
    }

    /**
     * The new file: how to write the change, in comments, and one changeSet per engine, commented
     * out. As written it holds no changeSet, so Liquibase (the jar's {@code db check} and
     * {@code db upgrade}, the plugin's {@code liquibase:status}) reads it and does nothing: an empty
     * {@code <sql>} would fail validation ("'sql' is required"), and a changeSet with no change would
     * be recorded as applied, then fail its checksum once written.
     */
    private static String template(String id, String author, String description) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog
                        xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd"
                        logicalFilePath="migrations/changes/%1$s.xml">
                    <!-- %3$s -->
                    <!--
                      How to write this change (README, "Schema"; 0006-create-people.xml shows the shape):
                      - Until you take out the BEGIN and END lines below, this file holds no changeSet:
                        db check, db upgrade and mvn liquibase:status read it and do nothing.
                      - One changeSet per engine, all under the same id: dbms="sqlite", dbms="postgresql",
                        dbms="mariadb,mysql". (A change whose SQL is the same on every engine may be a single
                        changeSet without dbms; delete the other two.)
                      - Native SQL in <sql>. Never Liquibase's addColumn, dropColumn, renameColumn... on SQLite:
                        they rebuild the table behind your back, dropping its constraints and, with foreign keys
                        on, the rows of the tables that refer to it.
                      - Each changeSet needs a <rollback> with the SQL that undoes it, keeping what data it can;
                        ReversibilityTest walks every changeset down and up again.
                      - A new column of a kind also needs the kind's declaration: its Field in the kind's
                        declaration (registry.user.Users, say), a component in its row record (User) and in its
                        form record (UserForm) with its rules; the declaration checks at start that they match.
                      - Then: stop the server (a running server reads its classes from the jar it started
                        with: do not replace that jar under it), rebuild the jar, which carries the changelogs
                        (mvn -B -q package -DskipTests), run db upgrade, and start the server again.
                    -->
                    <!-- BEGIN changeSets: delete this line and the END line to make them count
                    <changeSet id="%1$s" author="%2$s" dbms="sqlite">
                        <sql>
                        </sql>
                        <rollback>
                            <sql>
                            </sql>
                        </rollback>
                    </changeSet>

                    <changeSet id="%1$s" author="%2$s" dbms="postgresql">
                        <sql>
                        </sql>
                        <rollback>
                            <sql>
                            </sql>
                        </rollback>
                    </changeSet>

                    <changeSet id="%1$s" author="%2$s" dbms="mariadb,mysql">
                        <sql>
                        </sql>
                        <rollback>
                            <sql>
                            </sql>
                        </rollback>
                    </changeSet>
                    END changeSets: delete this line and the BEGIN line -->
                </databaseChangeLog>
                """.formatted(id, author, inComment(description));
    }

    /** Text an XML comment can hold: no "--" in it, nor a "-" at its end. */
    static String inComment(String text) {
        return text.replaceAll("-(?=-)", "- ").replaceAll("-$", "- ");
    }

    /** An author the changeSet's attribute can hold, in a comment or out of it; else why not. */
    private static void checkAuthor(String author) {
        if (author.isBlank() || author.contains("--") || author.chars().anyMatch(c -> c == '"' || c == '<' || c == '>' || c == '&')) {
            throw new Refused("the author must be a name without quotes, <, >, & or --, such as: --author registry; got: " + author);
        }
    }
}
