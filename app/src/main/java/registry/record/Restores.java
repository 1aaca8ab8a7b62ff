package registry.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Update;
import registry.db.CaseFold;
import registry.db.ConstraintViolation;
import registry.db.Database;
import registry.db.Timestamps;
import registry.history.Actor;
import registry.history.Entry;
import registry.history.History;

/**
 * What the history brings back, for every kind from its declaration: a record's values as they
 * were right after one of its entries (a new update, under the optimistic lock), and a deleted
 * record from the trash with its id and the dependent rows that went with it.
 *
 * <p>The values are replayed from the record's entries, oldest first: a create, delete or restore
 * from the trash keeps every field's value, an update (or a restore of a version) each changed
 * field's {@code [before, after]}, of which the after counts. Each such entry but a delete moved
 * the version on by one, which gives the version a deleted record had.
 */
public final class Restores<R extends Record & Row, F extends Record> {
    /** The values after an entry, the version they had and when the record was first created (null: unknown). */
    private record State(Map<String, Object> values, long version, Instant created) {}

    private final Database database;
    private final Records<R, F> records;
    private final Kind<R, F> kind;
    private final String insertWithId;

    public Restores(Database database, Records<R, F> records) {
        this.database = database;
        this.records = records;
        this.kind = records.kind();
        this.insertWithId = records.sql().insertWithId;
    }

    public Kind<R, F> kind() {
        return kind;
    }

    public Optional<R> find(long id) {
        return records.find(id);
    }

    /** The record {@code id} as it was right after its entry {@code entryId}, as a form; empty when the entry is not one of its own. */
    public Optional<F> asOf(long id, long entryId) {
        List<Entry> entries = database.read(h -> History.ofRecord(h, kind.path(), id));
        return replay(entries, entryId).map(state -> form(state.values()));
    }

    /** Gives the record the values it had right after entry {@code entryId}: an update written as "restore". */
    public Outcome<R> toVersion(long id, long entryId, long version, Actor actor) {
        Optional<F> form = asOf(id, entryId);
        if (form.isEmpty()) {
            return new Outcome.NotFound<>();
        }
        FieldErrors errors = Forms.validate(form.get());
        if (!errors.isEmpty()) {
            return new Outcome.Invalid<>(errors, false);
        }
        return records.change(id, version, form.get(), actor, "restore");
    }

    /**
     * Brings a deleted record back from its delete entry: its id, its fields, the version after the
     * deleted one, and each dependent row whose other references still exist (a row that no longer
     * fits is left out, inside a savepoint of its own). One "restore" entry lists the fields and the
     * dependent rows brought back. NotFound unless {@code delete} is the record's latest entry and a
     * deletion; Invalid (duplicate) when a unique value is now another record's, naming it.
     */
    public Outcome<R> fromTrash(Entry delete, Actor actor) {
        long id = delete.recordId();
        try {
            return database.write(h -> {
                List<Entry> entries = History.ofRecord(h, kind.path(), id);
                if (!delete.action().equals("delete") || entries.isEmpty() || entries.get(0).id() != delete.id()) {
                    return new Outcome.NotFound<>();
                }
                State state = replay(entries, delete.id()).orElseThrow();
                F form = form(state.values());
                Optional<Outcome<R>> taken = taken(h, form);
                if (taken.isPresent()) {
                    return taken.get();
                }
                Instant now = Timestamps.now();
                records.bindFields(h.createUpdate(insertWithId), form).bind("id", id).bind("now", now)
                        .bind("created", state.created() == null ? now : state.created()).bind("version", state.version() + 1).execute();
                Map<String, Object> changes = kind.values(kind.stored(id, form, now));
                Map<String, Object> deleted = History.changesOf(delete);
                int back = 0;
                for (Kind.Dependents dependents : kind.dependents()) {
                    List<Map<String, Object>> rows = new ArrayList<>();
                    if (deleted.get(dependents.table()) instanceof List<?> kept) {
                        for (Object row : kept) {
                            if (row instanceof Map<?, ?> columns && insertDependent(h, dependents.table(), columns)) {
                                rows.add(stringKeys(columns));
                            }
                        }
                    }
                    changes.put(dependents.table(), rows);
                    back += rows.size();
                }
                // Read once its dependent rows are back: what is derived from them (a movie's directors) comes back with them.
                R restored = records.find(h, id).orElseThrow();
                History.write(h, actor, "restore", kind.path(), id, kind.label(restored), changes);
                return new Outcome.Done<>(restored, back);
            });
        } catch (JdbiException e) {
            return records.duplicate(e);
        }
    }

    /** A unique value of {@code form} that another record holds now: the refusal naming that record. */
    private Optional<Outcome<R>> taken(Handle h, F form) {
        for (Field<R> field : kind.fields()) {
            Object value = field.stored(kind.input(form, field));
            if (!field.isUnique() || value == null) {
                continue;
            }
            // The field's key column is our own identifier, never request text.
            Optional<R> other = h.createQuery(records.sql().byKey).define("column", field.keyColumn())
                    .bind("value", CaseFold.fold((String) value)).mapTo(kind.rowType()).findFirst();
            if (other.isPresent()) {
                String message = field.label() + " " + value + " is now taken by " + kind.singular() + " " + kind.label(other.get())
                        + " (id " + other.get().id() + ")";
                return Optional.of(new Outcome.Invalid<>(FieldErrors.of(field.name(), message), true));
            }
        }
        return Optional.empty();
    }

    /** Inserts one dependent row as the history kept it; false (and nothing written) when it no longer fits a constraint. */
    private static boolean insertDependent(Handle h, String table, Map<?, ?> row) {
        List<String> columns = new ArrayList<>();
        row.keySet().forEach(column -> columns.add(String.valueOf(column)));
        for (String column : columns) {
            if (!column.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalStateException("history names a column " + column + " of " + table + " that no table of ours has");
            }
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> ":" + c).toList()) + ")";
        h.execute("SAVEPOINT dependent_row");
        try {
            Update insert = h.createUpdate(sql);
            row.forEach((column, value) -> insert.bind(String.valueOf(column), value));
            insert.execute();
            h.execute("RELEASE SAVEPOINT dependent_row");
            return true;
        } catch (JdbiException e) {
            if (!ConstraintViolation.is(e)) {
                throw e;
            }
            h.execute("ROLLBACK TO SAVEPOINT dependent_row");
            h.execute("RELEASE SAVEPOINT dependent_row");
            return false;
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> row) {
        Map<String, Object> copy = new LinkedHashMap<>();
        row.forEach((column, value) -> copy.put(String.valueOf(column), value));
        return copy;
    }

    /** The state right after entry {@code upTo}, replayed from {@code newestFirst}; empty when that entry is not among them. */
    private Optional<State> replay(List<Entry> newestFirst, long upTo) {
        Map<String, Object> values = new HashMap<>();
        long version = 0;
        Instant created = null;
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Entry entry = newestFirst.get(i);
            if (entry.id() > upTo) {
                break;
            }
            if (entry.action().equals("create")) {
                values.clear();
                version = 0;
                created = entry.at();
            }
            if (!entry.action().equals("delete")) {
                version++;
            }
            Map<String, Object> changes = History.changesOf(entry);
            for (Field<R> field : kind.fields()) {
                if (changes.containsKey(field.name())) {
                    Object value = changes.get(field.name());
                    values.put(field.name(), value instanceof List<?> pair && pair.size() == 2 ? pair.get(1) : value);
                }
            }
            if (entry.id() == upTo) {
                return Optional.of(new State(values, version, created));
            }
        }
        return Optional.empty();
    }

    private F form(Map<String, Object> values) {
        return kind.form(field -> {
            Object value = values.get(field.name());
            return value == null ? "" : value.toString();
        });
    }
}
