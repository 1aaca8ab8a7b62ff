package registry.cli;

/** A command that cannot do what it was asked; its message is the one line printed before exit code 2. */
final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandException(String message) {
        super(message);
    }
}
