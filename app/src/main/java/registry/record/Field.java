package registry.record;

import java.util.function.Function;
import registry.db.CaseFold;

/**
 * One field of a kind, declared once: its name (the form field, JSON member and CSV column), its
 * column, its label, its type, and whether it is sorted, searched, unique or part of the natural
 * key. Pages, API, CSV and SQL are derived from it.
 *
 * <p>A <em>folded</em> text field has a second column, {@code <column>_key}, holding
 * {@link CaseFold#fold} of the value: "ignoring case" means the same on every engine, and sorting
 * and uniqueness go through that column and its index. A <em>searched</em> one has a third,
 * {@code <column>_search}, holding {@link CaseFold#forSearch} of the value, which ignores accents
 * too: a search looks there, while uniqueness keeps "Emile" and "Émile" apart.
 *
 * @param <R> the row record the field is read from
 */
public final class Field<R> {
    /** What a field holds, which decides its input, its JSON type and how it is stored. */
    public enum Type {
        TEXT("text"), EMAIL("email"), YEAR("text");

        private final String inputType;

        Type(String inputType) {
            this.inputType = inputType;
        }
    }

    private final String name;
    private final String label;
    private final Type type;
    private final Function<R, Object> reader;
    private final String column;
    private String hint = "";
    private String autocomplete = "off";
    private boolean folded;
    private boolean searched;
    private boolean key;
    private boolean optional;
    private String duplicateMessage;

    private Field(String name, String label, Type type, Function<R, Object> reader) {
        this.name = name;
        this.column = name;
        this.label = label;
        this.type = type;
        this.reader = reader;
    }

    /** Free text. */
    public static <R> Field<R> text(String name, String label, Function<R, Object> reader) {
        return new Field<>(name, label, Type.TEXT, reader);
    }

    /** An email address. */
    public static <R> Field<R> email(String name, String label, Function<R, Object> reader) {
        return new Field<>(name, label, Type.EMAIL, reader);
    }

    /** An optional year, stored as a whole number. */
    public static <R> Field<R> year(String name, String label, Function<R, Object> reader) {
        return new Field<>(name, label, Type.YEAR, reader).optional();
    }

    /** May be left blank, which is stored as NULL (its column is nullable); the form says "(optional)". */
    public Field<R> optional() {
        this.optional = true;
        return hint("optional");
    }

    /** Compared ignoring case through its {@code <column>_key} column. */
    public Field<R> folded() {
        this.folded = true;
        return this;
    }

    /** Looked in by the list's search ({@code q}), through its search column. Only folded fields: the search compares folded text. */
    public Field<R> searched() {
        if (!folded) {
            throw new IllegalStateException(name + ": only a folded field can be searched");
        }
        this.searched = true;
        return this;
    }

    /**
     * Unique ignoring case, with the message a duplicate gets. The unique index is on the key
     * column, whose name is what a violation reports.
     */
    public Field<R> unique(String message) {
        if (!folded) {
            throw new IllegalStateException(name + ": only a folded field can be unique");
        }
        this.duplicateMessage = message;
        return this;
    }

    /** Part of the natural key: what identifies a record to a person (a username; a title and a year). */
    public Field<R> key() {
        this.key = true;
        return this;
    }

    /** Said after the label on a form: "(optional)". */
    public Field<R> hint(String hint) {
        this.hint = hint;
        return this;
    }

    /** The browser's autocomplete token for the input. */
    public Field<R> autocomplete(String token) {
        this.autocomplete = token;
        return this;
    }

    public String name() {
        return name;
    }

    public String column() {
        return column;
    }

    public String label() {
        return label;
    }

    /** The label on a form: "Born (year, optional)". */
    public String inputLabel() {
        return hint.isEmpty() ? label : label + " (" + hint + ")";
    }

    public String inputType() {
        return type.inputType;
    }

    public String autocomplete() {
        return autocomplete;
    }

    public boolean isFolded() {
        return folded;
    }

    public boolean isSearched() {
        return searched;
    }

    /** Whether it may be left blank (stored as NULL). */
    public boolean isOptional() {
        return optional;
    }

    public boolean isKey() {
        return key;
    }

    public boolean isUnique() {
        return duplicateMessage != null;
    }

    public String duplicateMessage() {
        return duplicateMessage;
    }

    /** Whether JSON carries it as a number rather than text. */
    public boolean isNumber() {
        return type == Type.YEAR;
    }

    /** The column that sorts it: the key column of a folded field, whose index serves ORDER BY. */
    public String sortColumn() {
        return folded ? keyColumn() : column;
    }

    /** The case-folded twin of a folded field's column. */
    public String keyColumn() {
        return column + "_key";
    }

    /** The case- and accent-folded twin of a searched field's column, which searches look in. */
    public String searchColumn() {
        return column + "_search";
    }

    /** Where a value of the field is stored: its column, then the key of a folded field and the search text of a searched one. */
    public java.util.List<String> storedColumns() {
        java.util.List<String> columns = new java.util.ArrayList<>(java.util.List.of(column));
        if (folded) {
            columns.add(keyColumn());
        }
        if (searched) {
            columns.add(searchColumn());
        }
        return columns;
    }

    /** Takes a column's name, its value and the value's Java type (for binding a null). */
    public interface ColumnBinder {
        void bind(String column, Object value, Class<?> type);
    }

    /**
     * Binds a stored value (from {@link #stored}) to each of {@link #storedColumns}, folding it for
     * the key and search columns: every write of a record (form, API, import, restore) goes
     * through here, so the folded columns never disagree with the value.
     */
    public void bind(Object value, ColumnBinder binder) {
        binder.bind(column, value, storedType());
        if (folded) {
            binder.bind(keyColumn(), value == null ? null : CaseFold.fold((String) value), String.class);
        }
        if (searched) {
            binder.bind(searchColumn(), value == null ? null : CaseFold.forSearch((String) value), String.class);
        }
    }

    /** The field's value in a row: a String, an Integer or null. */
    public Object value(R row) {
        return reader.apply(row);
    }

    /** The value as text, "" when unknown: as a form and a CSV cell hold it. */
    public String text(R row) {
        Object value = value(row);
        return value == null ? "" : value.toString();
    }

    /** A validated form value as stored: a year as a number, a blank optional value as null. */
    public Object stored(String input) {
        if (input == null || input.isBlank()) {
            return optional ? null : input;
        }
        return type == Type.YEAR ? Integer.valueOf(input) : input;
    }

    /** The Java type of {@link #stored}, for binding a null. */
    public Class<?> storedType() {
        return type == Type.YEAR ? Integer.class : String.class;
    }

    @Override
    public String toString() {
        return name;
    }
}
