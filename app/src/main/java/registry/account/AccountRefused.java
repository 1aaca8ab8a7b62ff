package registry.account;

import registry.record.FieldErrors;

/**
 * A change to accounts that was refused, and nothing changed: invalid input (422, each message
 * by its field), the last enabled admin (409), or an account that does not exist (404). The pages,
 * the API and the command line each turn it into their answer.
 */
public final class AccountRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient FieldErrors errors;

    private AccountRefused(int status, String message, FieldErrors errors) {
        super(message, null, false, false);
        this.status = status;
        this.errors = errors;
    }

    static AccountRefused invalid(FieldErrors errors) {
        return new AccountRefused(422, String.join("; ", errors.ordered().values().stream().flatMap(java.util.List::stream).toList()), errors);
    }

    static AccountRefused invalid(String field, String message) {
        return invalid(FieldErrors.of(field, message));
    }

    static AccountRefused lastAdmin(String what) {
        return new AccountRefused(409, "The last enabled admin cannot be " + what + "; make another account admin first", new FieldErrors());
    }

    static AccountRefused notFound(String what) {
        return new AccountRefused(404, "There is no account " + what, new FieldErrors());
    }

    public int status() {
        return status;
    }

    /** The messages by field, for a 422; empty otherwise. */
    public FieldErrors errors() {
        return errors;
    }
}
