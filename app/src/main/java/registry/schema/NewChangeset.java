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
 * {@code db new "add phone to users"}: writes the next numbered, empty changeset file under
 * {@code migrations/changes/} and includes it at the end of the master changelog, like
 * {@code flask db revision -m}.
 */
public final class NewChangeset {
    private static final Pattern NUMBERED = Pattern.compile("^(\\d{4})-.*\\.xml$");
    private static final String END = "</databaseChangeLog>";

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
            Files.writeString(file, template(id, author.replace("\"", "'"), description.strip()), StandardCharsets.UTF_8);
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

    private static String template(String id, String author, String description) {
        String comment = description.replace("--", "- -");
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog
                        xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                        xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd"
                        logicalFilePath="migrations/changes/%1$s.xml">
                    <!-- %3$s -->
                    <!--
                      Write native SQL: on SQLite, Liquibase's own change types (addColumn, dropColumn, ...)
                      rebuild the table and silently drop its constraints and, with foreign keys on, the rows
                      that refer to it. One concern per changeset; keep the data the rollback can keep.
                    -->
                    <changeSet id="%1$s" author="%2$s">
                        <sql>
                        </sql>
                        <rollback>
                            <!-- Required: the SQL that undoes the change above. -->
                        </rollback>
                    </changeSet>
                </databaseChangeLog>
                """.formatted(id, author, comment);
    }
}
