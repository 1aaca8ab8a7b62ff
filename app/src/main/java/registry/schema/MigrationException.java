package registry.schema;

/** A schema change that could not be made or inspected; the message says why in one line. */
public final class MigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
