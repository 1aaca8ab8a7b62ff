package registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("sqlite-only")
class DatabaseUrlTest {
    @Test
    void passwords_and_other_secrets_are_shown_as_stars() {
        assertThat(DatabaseUrl.shown("jdbc:postgresql://db/registry?user=u&password=hunter2"))
                .isEqualTo("jdbc:postgresql://db/registry?user=u&password=***");
        assertThat(DatabaseUrl.shown("jdbc:mariadb://db:3306/registry?password=hunter2&user=u"))
                .isEqualTo("jdbc:mariadb://db:3306/registry?password=***&user=u");
        assertThat(DatabaseUrl.shown("jdbc:postgresql://u:hunter2@db/registry")).isEqualTo("jdbc:postgresql://u:***@db/registry");
        assertThat(DatabaseUrl.shown("jdbc:postgresql://db/r?sslpassword=a&apiToken=b&client_secret=c&sslkey=d&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/r?sslpassword=***&apiToken=***&client_secret=***&sslkey=***&ssl=true");
        assertThat(DatabaseUrl.shown("jdbc:mariadb://address=(host=db)(password=hunter2)/r"))
                .isEqualTo("jdbc:mariadb://address=(host=db)(password=***)/r");
        assertThat(DatabaseUrl.shown("jdbc:sqlite:registry.db")).isEqualTo("jdbc:sqlite:registry.db");
    }

    @Test
    void a_driver_message_quoting_the_password_is_scrubbed() {
        String url = "jdbc:postgresql://db/registry?user=u&password=hunter%232";
        assertThat(DatabaseUrl.scrub("bad URL " + url + ": password hunter#2 refused", url))
                .isEqualTo("bad URL jdbc:postgresql://db/registry?user=u&password=***: password *** refused");
    }

    @Test
    void in_memory_sqlite_is_refused_naming_the_source() {
        for (String url : List.of("jdbc:sqlite::memory:", "jdbc:sqlite:", "jdbc:sqlite:file::memory:?cache=shared",
                "jdbc:sqlite:file:registry.db?mode=memory&cache=shared", "jdbc:sqlite:file:x?cache=shared&mode=memory")) {
            assertThatThrownBy(() -> DatabaseUrl.requireStored("database.url", url)).as(url)
                    .isInstanceOf(ConfigException.class).hasMessage("database.url: " + DatabaseUrl.IN_MEMORY);
        }
        for (String url : List.of("jdbc:sqlite:registry.db", "jdbc:sqlite:file:registry.db?mode=rwc", "jdbc:postgresql://db/memory")) {
            DatabaseUrl.requireStored("database.url", url);
        }
    }
}
