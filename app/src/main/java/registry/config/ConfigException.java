package registry.config;

/** A configuration value that cannot be used; its message is the one line the user sees before exit code 2. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
