package registry.record;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import registry.db.Engine;

/**
 * A kind of record (users, people, movies), declared once: its names, its table, its fields, the
 * values derived from other tables, its form and what a delete takes with it. Everything per kind
 * is derived from this: the SQL of {@link RecordSql}, the pages' table head, rows, forms and
 * summaries, the JSON members, the CSV header, the allowed sorts.
 *
 * <p>Every kind's table also has {@code id}, {@code created_at}, {@code updated_at} and
 * {@code version}, and its row record is {@code (id, fields…, createdAt, updatedAt, version, derived…)};
 * its form record has one String per field, in the same order, with the kind's validation rules.
 * Both shapes are checked when the kind is declared, so a mismatch fails at start, not on a request.
 *
 * @param <R> the row record
 * @param <F> the form record
 */
public final class Kind<R extends Record & Row, F extends Record> {
    /** Sortable by every kind, beside the fields: the default order first. */
    private static final List<String> COMMON_SORTS = List.of("id", "created_at", "updated_at");

    /** Rows of another table removed with a record by its foreign key's ON DELETE CASCADE. */
    public record Dependents(String noun, String table, String column) {}

    private final String path;
    private final String singular;
    private final String title;
    private final Class<R> rowType;
    private final Class<F> formType;
    private final List<Field<R>> fields;
    private final List<Derived> derived;
    private final List<Dependents> dependents;
    private final List<Filter> filters;
    private final boolean searchTable;
    private final MethodHandle newRow;
    private final MethodHandle newForm;
    private final MethodHandle[] formValues;
    private final MethodHandle[] derivedValues;
    private final F emptyForm;

    private Kind(Builder<R, F> builder) {
        this.path = builder.path;
        this.singular = builder.singular;
        this.title = builder.title;
        this.rowType = builder.rowType;
        this.formType = builder.formType;
        this.fields = List.copyOf(builder.fields);
        this.derived = List.copyOf(builder.derived);
        this.dependents = List.copyOf(builder.dependents);
        this.filters = List.copyOf(builder.filters);
        this.searchTable = builder.searchTable;
        List<String> rowShape = new ArrayList<>(List.of("id"));
        fields.forEach(f -> rowShape.add(f.name()));
        rowShape.addAll(List.of("created_at", "updated_at", "version"));
        derived.forEach(d -> rowShape.add(d.name()));
        this.newRow = constructor(rowType, rowShape);
        RecordComponent[] row = rowType.getRecordComponents();
        for (int i = 0; i < fields.size(); i++) {
            if (row[i + 1].getType() != fields.get(i).storedType()) {
                throw new IllegalStateException(rowType.getSimpleName() + "." + row[i + 1].getName() + " is a "
                        + row[i + 1].getType().getSimpleName() + "; its field stores a " + fields.get(i).storedType().getSimpleName());
            }
        }
        this.derivedValues = new MethodHandle[derived.size()];
        for (int i = 0; i < derived.size(); i++) {
            RecordComponent component = row[fields.size() + 4 + i];
            if (component.getType() != String.class) {
                throw new IllegalStateException(rowType.getSimpleName() + "." + component.getName() + " must be a String: a derived value is text");
            }
            derivedValues[i] = unreflect(component);
        }
        this.newForm = constructor(formType, fields.stream().map(Field::name).toList());
        RecordComponent[] components = formType.getRecordComponents();
        this.formValues = new MethodHandle[components.length];
        for (int i = 0; i < components.length; i++) {
            if (components[i].getType() != String.class) {
                throw new IllegalStateException(formType.getSimpleName() + "." + components[i].getName() + " must be a String: a form holds text as typed");
            }
            formValues[i] = unreflect(components[i]);
        }
        this.emptyForm = form(field -> "");
        if (fields.stream().noneMatch(f -> f.isKey() && f.isFolded())) {
            throw new IllegalStateException(path + ": no folded field is part of the natural key (an import looks records up by it)");
        }
    }

    /** Starts a declaration: {@code Kind.of("users", "user", "Users", User.class, UserForm.class).field(…)…build()}. */
    public static <R extends Record & Row, F extends Record> Builder<R, F> of(String path, String singular, String title,
                                                                             Class<R> rowType, Class<F> formType) {
        return new Builder<>(path, singular, title, rowType, formType);
    }

    /** The declaration under way. */
    public static final class Builder<R extends Record & Row, F extends Record> {
        private final String path;
        private final String singular;
        private final String title;
        private final Class<R> rowType;
        private final Class<F> formType;
        private final List<Field<R>> fields = new ArrayList<>();
        private final List<Derived> derived = new ArrayList<>();
        private final List<Dependents> dependents = new ArrayList<>();
        private final List<Filter> filters = new ArrayList<>();
        private boolean searchTable;

        private Builder(String path, String singular, String title, Class<R> rowType, Class<F> formType) {
            this.path = path;
            this.singular = singular;
            this.title = title;
            this.rowType = rowType;
            this.formType = formType;
        }

        /** The next field, in the order forms, tables and CSV show them; the first names a record. */
        public Builder<R, F> field(Field<R> field) {
            fields.add(field);
            return this;
        }

        /**
         * A read-only value computed from other tables as records are read ({@link Derived}), in
         * the order lists, JSON and CSV show them after the fields (the CSV after every column).
         * {@code sql} gives, per engine, a scalar subquery over {@code {id}}, the record's id.
         */
        public Builder<R, F> derived(String name, String label, Function<Engine, String> sql) {
            derived.add(new Derived(name, label, sql));
            return this;
        }

        /**
         * On SQLite, searches of three characters or more go through the FTS5 trigram table
         * {@code <path>_search} over the searched key columns (its changelog keeps it in step).
         */
        public Builder<R, F> searchTable() {
            this.searchTable = true;
            return this;
        }

        /** Rows of {@code table} whose {@code column} names a record go with it when it is deleted. */
        public Builder<R, F> dependents(String noun, String table, String column) {
            dependents.add(new Dependents(noun, table, column));
            return this;
        }

        /** A way to narrow the kind's lists (pages, API, CSV), in the order its facets are shown. */
        public Builder<R, F> filter(Filter filter) {
            filters.add(filter);
            return this;
        }

        public Kind<R, F> build() {
            return new Kind<>(this);
        }
    }

    private static MethodHandle constructor(Class<?> type, List<String> expected) {
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = Arrays.stream(components).map(c -> Forms.snakeCase(c.getName())).toList();
        if (!names.equals(expected)) {
            throw new IllegalStateException(type.getSimpleName() + " has " + names + "; its kind declares " + expected);
        }
        try {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            return lookup.unreflectConstructor(type.getDeclaredConstructor(types)).asSpreader(Object[].class, types.length);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private static MethodHandle unreflect(RecordComponent component) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(component.getDeclaringRecord(), MethodHandles.lookup());
            return lookup.unreflect(component.getAccessor());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    /** The URL segment, table and template folder: "users". */
    public String path() {
        return path;
    }

    /** The table: the same word as the path. */
    public String table() {
        return path;
    }

    /** "user", for messages. */
    public String singular() {
        return singular;
    }

    /** "Users", for headings. */
    public String title() {
        return title;
    }

    public Class<R> rowType() {
        return rowType;
    }

    /** The form record, whose constraints the OpenAPI document's schemas are derived from. */
    public Class<F> formType() {
        return formType;
    }

    /**
     * Every member a JSON body of this kind may carry, and nothing else (SPEC: a member the OpenAPI
     * document does not name is a 422): the fields and {@code version}, then the members a read
     * gives that a write ignores, so that a record read, edited and sent back is accepted.
     */
    public List<String> jsonMembers() {
        List<String> members = new ArrayList<>();
        fields.forEach(f -> members.add(f.name()));
        members.add("version");
        members.addAll(readOnlyMembers());
        return members;
    }

    /** What a read of a record gives beside its fields and version, ignored when sent back. */
    public List<String> readOnlyMembers() {
        List<String> members = new ArrayList<>(List.of("id", "created_at", "updated_at"));
        derived.forEach(d -> members.add(d.name()));
        return members;
    }

    public List<Field<R>> fields() {
        return fields;
    }

    /** The values computed from other tables as its records are read: shown, never written. */
    public List<Derived> derived() {
        return derived;
    }

    /** The row record's component that holds a derived value: "directors". */
    public String accessor(Derived value) {
        return rowType.getRecordComponents()[fields.size() + 4 + derived.indexOf(value)].getName();
    }

    /** The field named {@code name}, if the kind has one. */
    public Optional<Field<R>> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The filters its lists take, beside {@code q}. */
    public List<Filter> filters() {
        return filters;
    }

    public List<Dependents> dependents() {
        return dependents;
    }

    /** The row record's component that holds {@code field}: "title", "bornYear"… */
    public String accessor(Field<R> field) {
        return rowType.getRecordComponents()[fields.indexOf(field) + 1].getName();
    }

    /** What a dependent row is called in the message after a delete: "credit". */
    public String dependentsNoun() {
        return dependents.size() == 1 ? dependents.get(0).noun() : "related record";
    }

    /** Whether searches can use the FTS5 table {@code <path>_search} (on SQLite). */
    public boolean hasSearchTable() {
        return searchTable;
    }

    /** The fields of the natural key: a username; a name; a title and a year. */
    public List<Field<R>> naturalKey() {
        return fields.stream().filter(Field::isKey).toList();
    }

    /** Sortable names, the first the default order: id, every field, then the times. */
    public List<String> sortable() {
        List<String> sortable = new ArrayList<>(List.of("id"));
        fields.forEach(f -> sortable.add(f.name()));
        sortable.addAll(COMMON_SORTS.subList(1, COMMON_SORTS.size()));
        return sortable;
    }

    /** The column a sortable name sorts by; the only request text that reaches ORDER BY. */
    public String sortColumn(String sort) {
        return field(sort).map(Field::sortColumn).orElseGet(() -> {
            if (!COMMON_SORTS.contains(sort)) {
                throw new IllegalArgumentException(path + " cannot be sorted by " + sort);
            }
            return sort;
        });
    }

    /** What a search looks in, for the search box's label: "username or email". */
    public String searchesIn() {
        return fields.stream().filter(Field::isSearched).map(f -> f.label().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(" or "));
    }

    /** The stored columns every query selects, in the row record's order (the derived values follow them). */
    public List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("id"));
        fields.forEach(f -> columns.add(f.column()));
        columns.addAll(List.of("created_at", "updated_at", "version"));
        return columns;
    }

    /**
     * The CSV export's header: the stored columns, then the derived values, last so that the
     * columns before them keep their places in files that scripts read by position.
     */
    public List<String> exportColumns() {
        List<String> columns = new ArrayList<>(columns());
        derived.forEach(d -> columns.add(d.name()));
        return columns;
    }

    /** A record as a CSV row of {@link #exportColumns}: each column as text, an unknown value as an empty cell. */
    public List<String> csvRow(R record) {
        List<String> cells = new ArrayList<>(fields.size() + 4 + derived.size());
        cells.add(Long.toString(record.id()));
        fields.forEach(f -> cells.add(f.text(record)));
        cells.add(record.createdAt().toString());
        cells.add(record.updatedAt().toString());
        cells.add(Long.toString(record.version()));
        for (MethodHandle value : derivedValues) {
            String text = (String) read(value, record);
            cells.add(text == null ? "" : text);
        }
        return cells;
    }

    private static Object read(MethodHandle accessor, Object record) {
        try {
            return accessor.invoke(record);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read " + record, e);
        }
    }

    /** How a record is named in messages and headings: its first field (a username, a name, a title). */
    public String label(R record) {
        return fields.get(0).text(record);
    }

    public long id(R record) {
        return record.id();
    }

    /** Every field's value by name, in declaration order: what a history entry keeps of a created or deleted record. */
    public java.util.Map<String, Object> values(R record) {
        java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
        fields.forEach(field -> values.put(field.name(), field.value(record)));
        return values;
    }

    /** {@code {"field":[before, after]}} for each field whose value differs: what an update's history entry keeps. */
    public java.util.Map<String, Object> diff(R before, R after) {
        java.util.Map<String, Object> changed = new java.util.LinkedHashMap<>();
        for (Field<R> field : fields) {
            Object was = field.value(before);
            Object now = field.value(after);
            if (!java.util.Objects.equals(was, now)) {
                changed.put(field.name(), java.util.Arrays.asList(was, now));
            }
        }
        return changed;
    }

    public long version(R record) {
        return record.version();
    }

    public F emptyForm() {
        return emptyForm;
    }

    /** A form from each field's input: {@code input} gives the cleaned text of a field, "" when absent. */
    public F form(Function<Field<R>, String> input) {
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = input.apply(fields.get(i));
        }
        return construct(newForm, values);
    }

    /** The form filled with a record's values, for its edit page. */
    public F form(R record) {
        return form(f -> f.text(record));
    }

    /** A form's text for {@code field}, to put back in its input. */
    public String input(F form, Field<R> field) {
        try {
            return (String) formValues[fields.indexOf(field)].invoke(form);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read " + field + " of " + form, e);
        }
    }

    /**
     * The record as an insert of {@code form} stored it: version 1, created and updated {@code now},
     * and each derived value "": no other row can name a record yet that was just made.
     */
    public R stored(long id, F form, Instant now) {
        Object[] values = new Object[fields.size() + 4 + derived.size()];
        values[0] = id;
        for (int i = 0; i < fields.size(); i++) {
            values[i + 1] = fields.get(i).stored(input(form, fields.get(i)));
        }
        values[fields.size() + 1] = now;
        values[fields.size() + 2] = now;
        values[fields.size() + 3] = 1L;
        Arrays.fill(values, fields.size() + 4, values.length, "");
        return construct(newRow, values);
    }

    @SuppressWarnings("unchecked")
    private static <T> T construct(MethodHandle constructor, Object[] values) {
        try {
            return (T) constructor.invoke(values);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot construct from " + Arrays.toString(values), e);
        }
    }

    /** The field whose unique key column is {@code column}, as a violation names it. */
    public Optional<Field<R>> uniqueByKeyColumn(String column) {
        return fields.stream().filter(f -> f.isUnique() && Objects.equals(f.keyColumn(), column)).findFirst();
    }

    @Override
    public String toString() {
        return path;
    }
}
