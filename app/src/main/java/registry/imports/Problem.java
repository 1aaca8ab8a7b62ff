package registry.imports;

/** One thing wrong with a file: its line, the field (null for the row or the file) and what is wrong. */
public record Problem(long line, String field, String message) {
    /** As the preview and the command line show it: "line 4: year: Year must be a year". */
    @Override
    public String toString() {
        return "line " + line + ": " + (field == null ? "" : field + ": ") + message;
    }
}
