package registry.imports;

/** What stops a whole file from being read (not UTF-8, a quote never closed, a bad header): one error at its line. */
final class ImportFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long line;

    ImportFailure(long line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    long line() {
        return line;
    }
}
