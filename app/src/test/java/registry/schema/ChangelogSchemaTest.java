package registry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

/**
 * Every changelog file is valid against Liquibase's own schema, the one its jar carries. Liquibase
 * can check this itself at each run (liquibase.validateXmlChangelogFiles), but at every start of
 * every test's database that cost a fifth of the suite's CPU; the app never checks (Migrations),
 * so here it is done once, for all files.
 */
@Tag("sqlite-only")
class ChangelogSchemaTest {
    private static final String XSD = "www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd";

    private static Validator validator() throws SAXException {
        URL xsd = ChangelogSchemaTest.class.getClassLoader().getResource(XSD);
        assertThat(xsd).as("Liquibase's jar carries " + XSD).isNotNull();
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Schema schema = factory.newSchema(xsd);
        return schema.newValidator();
    }

    @Test
    void every_changelog_file_is_valid_against_liquibase_s_schema() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("migrations"))) {
            files = walk.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        assertThat(files).as("the master changelog and its changes").hasSizeGreaterThan(10).contains(Path.of("migrations/changelog.xml"));
        Validator validator = validator();
        for (Path file : files) {
            try {
                validator.validate(new StreamSource(file.toFile()));
            } catch (SAXException | IOException e) {
                throw new AssertionError(file + " is not a valid changelog: " + e.getMessage(), e);
            }
        }
    }

    @Test
    void a_changeset_with_an_unknown_change_is_refused() throws Exception {
        String changelog = """
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
                    <changeSet id="1" author="registry">
                        <createTabel tableName="t"/>
                    </changeSet>
                </databaseChangeLog>
                """;
        Validator validator = validator();
        assertThatThrownBy(() -> validator.validate(new StreamSource(new StringReader(changelog))))
                .isInstanceOf(SAXException.class).hasMessageContaining("createTabel");
    }
}
