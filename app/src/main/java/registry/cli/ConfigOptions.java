package registry.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import registry.config.Config;
import registry.config.ConfigLoader;

/** Options every command shares: where the configuration and the database are. */
final class ConfigOptions {
    @Option(names = "--database-url", paramLabel = "URL", description = "JDBC URL (default: jdbc:sqlite:registry.db)")
    String databaseUrl;

    @Option(names = "--config", paramLabel = "FILE", description = "Java properties file with configuration keys")
    Path configFile;

    /** The configuration, with {@code flags} (by key) given by the command's own options. */
    Config load(Map<String, String> flags) {
        if (databaseUrl != null) {
            flags.put("database.url", databaseUrl);
        }
        return ConfigLoader.load(flags, System.getenv(), Optional.ofNullable(configFile));
    }
}
