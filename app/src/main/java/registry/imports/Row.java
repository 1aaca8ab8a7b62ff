package registry.imports;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One row of the file by column name, each cell as a form field holds it: trimmed, in NFC, and
 * without the {@code '} the export puts before a cell a spreadsheet would take for a formula.
 */
public record Row(long line, Map<String, String> cells) {
    private static final Pattern WHOLE = Pattern.compile("[1-9][0-9]{0,17}");

    /** Whether the file has the column. */
    public boolean has(String column) {
        return cells.containsKey(column);
    }

    /** The cell, "" when empty, null when the file has no such column. */
    public String cell(String column) {
        return cells.get(column);
    }

    /** The cell, or "" when the column is missing or the cell empty. */
    public String text(String column) {
        String cell = cells.get(column);
        return cell == null ? "" : cell;
    }

    /** Whether the cell holds something. */
    public boolean filled(String column) {
        return !text(column).isEmpty();
    }

    /** The cell as a positive whole number in plain digits: 0 when it is empty or missing, -1 when it holds anything else. */
    public long number(String column) {
        String cell = text(column);
        if (cell.isEmpty()) {
            return 0;
        }
        return WHOLE.matcher(cell).matches() ? Long.parseLong(cell) : -1;
    }
}
