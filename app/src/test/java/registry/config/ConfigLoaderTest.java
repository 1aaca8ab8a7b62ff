package registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("sqlite-only")
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path file = dir.resolve("registry.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void nothing_given_gives_the_spec_defaults() {
        Config config = ConfigLoader.load(Map.of(), Map.of(), Optional.empty());

        assertThat(config).isEqualTo(Config.defaults());
        assertThat(config.databaseUrl()).isEqualTo("jdbc:sqlite:registry.db");
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.poolTimeoutSeconds()).isEqualTo(30);
        assertThat(config.migrateOnStart()).isTrue();
    }

    @Test
    void flag_beats_env_beats_file_beats_default() throws IOException {
        Path file = file("server.port=1001\ndatabase.url=jdbc:sqlite:file.db\ndatabase.pool-size=3\nserver.host=0.0.0.0\n");
        Map<String, String> env = Map.of("PORT", "1002", "DATABASE_URL", "jdbc:sqlite:env.db");
        Map<String, String> flags = Map.of("server.port", "1003");

        Config config = ConfigLoader.load(flags, env, Optional.of(file));

        assertThat(config.port()).isEqualTo(1003);
        assertThat(config.databaseUrl()).isEqualTo("jdbc:sqlite:env.db");
        assertThat(config.poolSize()).contains(3);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.poolTimeoutSeconds()).isEqualTo(30);
    }

    @Test
    void every_environment_variable_of_the_spec_is_read() {
        Map<String, String> env = Map.of(
                "DATABASE_URL", "jdbc:sqlite:x.db", "DATABASE_ECHO", "true", "DATABASE_RECORD_QUERIES", "true",
                "DATABASE_POOL_SIZE", "7", "DATABASE_POOL_TIMEOUT", "5", "DATABASE_MIGRATE_ON_START", "false",
                "HOST", "0.0.0.0", "PORT", "9090", "SECRET_KEY", "s3cret");

        Config config = ConfigLoader.load(Map.of(), env, Optional.empty());

        assertThat(config).isEqualTo(new Config("jdbc:sqlite:x.db", true, true, Optional.of(7), 5, false,
                "0.0.0.0", 9090, Optional.of("s3cret")));
    }

    @Test
    void an_unparseable_number_names_the_key_and_where_it_came_from() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("PORT", "eighty"), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.port: expected a whole number, got 'eighty' from PORT");
    }

    @Test
    void a_port_out_of_range_is_refused() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("server.port", "70000"), Map.of(), Optional.empty()))
                .hasMessageContaining("server.port").hasMessageContaining("70000").hasMessageContaining("--port");
    }

    @Test
    void keep_backups_defaults_to_5_is_read_from_the_environment_and_must_be_at_least_1() {
        assertThat(Config.defaults().keepBackups()).isEqualTo(5);
        assertThat(ConfigLoader.load(Map.of(), Map.of("DATABASE_KEEP_BACKUPS", "2"), Optional.empty()).keepBackups()).isEqualTo(2);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("DATABASE_KEEP_BACKUPS", "0"), Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessage("database.keep-backups: 0 from DATABASE_KEEP_BACKUPS is outside 1–1000");
    }

    @Test
    void history_keep_days_defaults_to_0_forever_and_takes_1_to_36500() {
        assertThat(Config.defaults().historyKeepDays()).isZero();
        assertThat(ConfigLoader.load(Map.of(), Map.of("HISTORY_KEEP_DAYS", "90"), Optional.empty()).historyKeepDays()).isEqualTo(90);
        assertThat(ConfigLoader.load(Map.of("history.keep-days", "36500"), Map.of(), Optional.empty()).historyKeepDays()).isEqualTo(36_500);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("HISTORY_KEEP_DAYS", "36501"), Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessage("history.keep-days: 36501 from HISTORY_KEEP_DAYS is outside 0–36500");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("HISTORY_KEEP_DAYS", "a week"), Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessage("history.keep-days: expected a whole number, got 'a week' from HISTORY_KEEP_DAYS");
    }

    @Test
    void sqlite_commits_are_durable_unless_normal_is_asked_for() throws IOException {
        assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.empty()).sqliteSynchronous()).isEqualTo(Config.Synchronous.FULL);
        assertThat(ConfigLoader.load(Map.of(), Map.of("DATABASE_SQLITE_SYNCHRONOUS", "Normal"), Optional.empty()).sqliteSynchronous())
                .isEqualTo(Config.Synchronous.NORMAL);
        assertThat(ConfigLoader.load(Map.of(), Map.of(), Optional.of(file("database.sqlite-synchronous=full\n"))).sqliteSynchronous())
                .isEqualTo(Config.Synchronous.FULL);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of("DATABASE_SQLITE_SYNCHRONOUS", "off"), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("database.sqlite-synchronous: expected full or normal, got 'off' from DATABASE_SQLITE_SYNCHRONOUS");
    }

    @Test
    void a_bad_boolean_is_refused() throws IOException {
        Path file = file("database.echo=maybe\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(file)))
                .hasMessageContaining("database.echo: expected true or false, got 'maybe'");
    }

    @Test
    void an_unknown_key_in_the_file_is_refused_rather_than_ignored() throws IOException {
        Path file = file("server.prot=9000\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(file)))
                .hasMessageContaining("unknown key server.prot");
    }

    @Test
    void a_missing_config_file_is_refused() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(), Map.of(), Optional.of(dir.resolve("nope.properties"))))
                .hasMessageContaining("--config: cannot read").hasMessageContaining("no such file");
    }
}
