package registry.history;

/**
 * Who made a change, as the history names them: the account's username (or {@code cli} on the
 * command line), and how ({@code page}, {@code api}, {@code token:NAME}, {@code import}, {@code cli}).
 */
public record Actor(String name, String via) {
    public static final Actor CLI = new Actor("cli", "cli");
}
