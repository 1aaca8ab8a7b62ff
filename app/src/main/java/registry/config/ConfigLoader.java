package registry.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves each key with SPEC precedence: command-line flag, then environment variable, then the
 * {@code --config} properties file, then the default. Every value is checked here, so a bad one
 * stops the program at start with a message naming the key.
 */
public final class ConfigLoader {

    /** Configuration keys and the environment variable of each. */
    static final Map<String, String> ENV = new LinkedHashMap<>();

    static {
        ENV.put("database.url", "DATABASE_URL");
        ENV.put("database.echo", "DATABASE_ECHO");
        ENV.put("database.record-queries", "DATABASE_RECORD_QUERIES");
        ENV.put("database.pool-size", "DATABASE_POOL_SIZE");
        ENV.put("database.pool-timeout", "DATABASE_POOL_TIMEOUT");
        ENV.put("database.migrate-on-start", "DATABASE_MIGRATE_ON_START");
        ENV.put("database.sqlite-synchronous", "DATABASE_SQLITE_SYNCHRONOUS");
        ENV.put("server.host", "HOST");
        ENV.put("server.port", "PORT");
        ENV.put("secret.key", "SECRET_KEY");
        ENV.put("database.keep-backups", "DATABASE_KEEP_BACKUPS");
        ENV.put("security.public-read", "SECURITY_PUBLIC_READ");
        ENV.put("security.session-idle-minutes", "SECURITY_SESSION_IDLE_MINUTES");
        ENV.put("server.public-url", "PUBLIC_URL");
        ENV.put("server.allowed-hosts", "ALLOWED_HOSTS");
        ENV.put("server.trusted-proxies", "TRUSTED_PROXIES");
        ENV.put("history.keep-days", "HISTORY_KEEP_DAYS");
        ENV.put("import.max-bytes", "IMPORT_MAX_BYTES");
    }

    private final Map<String, String> flags;
    private final Map<String, String> env;
    private final Properties file;

    private ConfigLoader(Map<String, String> flags, Map<String, String> env, Properties file) {
        this.flags = flags;
        this.env = env;
        this.file = file;
    }

    /**
     * @param flags values given on the command line, by configuration key
     * @param env   the process environment (tests pass their own)
     * @param configFile the {@code --config} file, if one was given
     */
    public static Config load(Map<String, String> flags, Map<String, String> env, Optional<Path> configFile) {
        return new ConfigLoader(flags, env, configFile.map(ConfigLoader::readFile).orElseGet(Properties::new)).resolve();
    }

    private static Properties readFile(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("--config: cannot read " + path + ": " + reasonOf(e));
        }
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(ENV.keySet());
        if (!unknown.isEmpty()) {
            // A misspelt key would otherwise be ignored silently and its default used.
            throw new ConfigException("--config: unknown key " + String.join(", ", unknown) + " in " + path
                    + " (known: " + String.join(", ", ENV.keySet()) + ")");
        }
        return properties;
    }

    private static String reasonOf(Exception e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }

    private Config resolve() {
        Config d = Config.defaults();
        String databaseUrl = text("database.url").orElse(d.databaseUrl());
        DatabaseUrl.requireStored("database.url", databaseUrl);
        return new Config(
                databaseUrl,
                bool("database.echo").orElse(d.databaseEcho()),
                bool("database.record-queries").orElse(d.recordQueries()),
                number("database.pool-size", 1, 1000),
                number("database.pool-timeout", 1, 3600).orElse(d.poolTimeoutSeconds()),
                bool("database.migrate-on-start").orElse(d.migrateOnStart()),
                text("server.host").orElse(d.host()),
                number("server.port", 0, 65535).orElse(d.port()),
                text("secret.key").or(d::secretKey),
                number("database.keep-backups", 1, 1000).orElse(d.keepBackups()),
                security(d.security()),
                number("history.keep-days", 0, 36_500).orElse(d.historyKeepDays()),
                number("import.max-bytes", 1024, 1 << 30).orElse(Config.IMPORT_MAX_BYTES),
                synchronous().orElse(d.sqliteSynchronous()));
    }

    private Optional<Config.Synchronous> synchronous() {
        return raw("database.sqlite-synchronous").map(raw -> switch (raw.value().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "full" -> Config.Synchronous.FULL;
            case "normal" -> Config.Synchronous.NORMAL;
            default -> throw new ConfigException("database.sqlite-synchronous: expected full or normal, got '" + raw.value()
                    + "' from " + raw.source());
        });
    }

    private Security security(Security d) {
        return new Security(
                bool("security.public-read").orElse(d.publicRead()),
                number("security.session-idle-minutes", 1, 525_600).orElse(d.sessionIdleMinutes()),
                text("server.public-url").map(ConfigLoader::publicUrl),
                list("server.allowed-hosts").map(hosts -> hosts.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList())
                        .orElse(d.allowedHosts()),
                list("server.trusted-proxies").map(proxies -> {
                    proxies.forEach(proxy -> Cidr.parse(proxy).orElseThrow(() -> new ConfigException(
                            "server.trusted-proxies: '" + proxy + "' is not an address or CIDR block such as 10.0.0.0/8")));
                    return proxies;
                }).orElse(d.trustedProxies()));
    }

    private static java.net.URI publicUrl(String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw new ConfigException("server.public-url: expected http(s)://HOST[:PORT] without a path, got '" + value + "'");
    }

    /** A comma-separated value, its items trimmed, empty ones dropped. */
    private Optional<java.util.List<String>> list(String key) {
        return text(key).map(value -> java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /** The raw value and where it came from, for messages. */
    private record Raw(String value, String source) {}

    private Optional<Raw> raw(String key) {
        if (flags.containsKey(key)) {
            return Optional.of(new Raw(flags.get(key), "--" + flagName(key)));
        }
        String var = ENV.get(key);
        if (env.containsKey(var)) {
            return Optional.of(new Raw(env.get(var), var));
        }
        return Optional.ofNullable(file.getProperty(key)).map(v -> new Raw(v, key + " in --config file"));
    }

    private static String flagName(String key) {
        return switch (key) {
            case "server.host" -> "host";
            case "server.port" -> "port";
            default -> key.replace('.', '-');
        };
    }

    private Optional<String> text(String key) {
        return raw(key).map(raw -> {
            String value = raw.value().strip();
            if (value.isEmpty()) {
                throw new ConfigException(key + ": empty value from " + raw.source());
            }
            return value;
        });
    }

    private Optional<Boolean> bool(String key) {
        return raw(key).map(raw -> switch (raw.value().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(key + ": expected true or false, got '" + raw.value() + "' from " + raw.source());
        });
    }

    private Optional<Integer> number(String key, int min, int max) {
        return raw(key).map(raw -> {
            int value;
            try {
                value = Integer.parseInt(raw.value().strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(key + ": expected a whole number, got '" + raw.value() + "' from " + raw.source());
            }
            if (value < min || value > max) {
                throw new ConfigException(key + ": " + value + " from " + raw.source() + " is outside " + min + "–" + max);
            }
            return value;
        });
    }
}
