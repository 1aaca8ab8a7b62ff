package registry.db;

import registry.config.ConfigException;

/** The database engines Registry runs on, told apart by the JDBC URL. */
public enum Engine {
    SQLITE("jdbc:sqlite:");

    private final String urlPrefix;

    Engine(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    /** The engine of {@code url}; an unknown one is a configuration error. */
    public static Engine of(String url) {
        for (Engine engine : values()) {
            if (url.startsWith(engine.urlPrefix)) {
                return engine;
            }
        }
        throw new ConfigException("database.url: unsupported database '" + url + "' (expected jdbc:sqlite:FILE)");
    }
}
