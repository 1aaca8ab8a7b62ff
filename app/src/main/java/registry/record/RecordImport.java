package registry.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import registry.db.CaseFold;
import registry.db.Engine;
import registry.db.Timestamps;
import registry.imports.Problem;
import registry.imports.Row;
import registry.imports.Run;
import registry.imports.Target;

/**
 * CSV rows into one kind of record, from its declaration: the columns are {@code id}, the fields
 * and {@code version}; each row is checked by the kind's form, as a page's create or edit is.
 *
 * <p>Matching (SPEC "Import"): a row whose {@code id} exists updates that record (unchanged when
 * every field it gives is equal; a {@code version}, when given, must be the current one); an
 * {@code id} that does not exist creates the record with it; a row without an id matches on the
 * natural key, ignoring case, and updates that record or creates one. A column the file leaves out
 * keeps a record's value (on a new record: empty); a required one cannot be left out.
 */
public final class RecordImport<R extends Record & registry.record.Row, F extends Record> implements Target {
    private final Records<R, F> records;
    private final Kind<R, F> kind;
    private final RecordSql sql;
    private final Set<String> columns = new LinkedHashSet<>();

    public RecordImport(Records<R, F> records) {
        this.records = records;
        this.kind = records.kind();
        this.sql = new RecordSql(kind);
        columns.add("id");
        kind.fields().forEach(field -> columns.add(field.name()));
        columns.add("version");
    }

    @Override
    public String kind() {
        return kind.path();
    }

    @Override
    public Set<String> columns() {
        return columns;
    }

    @Override
    public Set<String> ignored() {
        return Set.of("created_at", "updated_at");
    }

    @Override
    public List<String> missing(Set<String> present) {
        return kind.fields().stream().filter(f -> !f.isOptional() && !present.contains(f.name()))
                .map(f -> "Missing column \"" + f.name() + "\": every " + kind.singular() + " needs one").toList();
    }

    @Override
    public Result apply(Handle h, Row row, Run run) {
        List<Problem> problems = new ArrayList<>();
        long id = row.number("id");
        long version = row.number("version");
        if (id < 0) {
            problems.add(new Problem(row.line(), "id", "id must be a whole number above 0"));
        }
        if (version < 0) {
            problems.add(new Problem(row.line(), "version", "version must be a whole number above 0"));
        }
        if (!problems.isEmpty()) {
            return Result.invalid(problems);
        }
        Optional<R> current;
        if (id > 0) {
            current = records.find(h, id);
        } else {
            F given = kind.form(field -> row.text(field.name()));
            FieldErrors errors = Forms.validate(given);
            if (!errors.isEmpty()) {
                return Result.invalid(problems(row, errors));
            }
            List<R> matches = byKey(h, given);
            if (matches.size() > 1) {
                return Result.invalid(List.of(new Problem(row.line(), null, matches.size() + " " + kind.path() + " have this "
                        + keyName() + " (ids " + matches.stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(", "))
                        + "): give the id of the one to update")));
            }
            current = matches.stream().findFirst();
        }
        F form = kind.form(field -> row.has(field.name()) ? row.text(field.name()) : current.map(field::text).orElse(""));
        problems.addAll(problems(row, Forms.validate(form)));
        if (current.isPresent()) {
            R record = current.get();
            OptionalLong earlier = run.claimedBy(h, Long.toString(record.id()));
            if (earlier.isPresent()) {
                problems.add(new Problem(row.line(), id > 0 ? "id" : null, "same as line " + earlier.getAsLong()));
            }
            if (version > 0 && version != record.version()) {
                problems.add(new Problem(row.line(), "version", "version " + version + " is stale: the " + kind.singular()
                        + " is at version " + record.version()));
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(taken(h, row, form, current.map(R::id).orElse(id), run));
        }
        if (!problems.isEmpty()) {
            return Result.invalid(problems);
        }
        return current.isPresent() ? update(h, row, current.get(), form, run) : create(h, row, id, form, run);
    }

    /** "title and year": what the natural key is, for messages. */
    private String keyName() {
        return kind.naturalKey().stream().map(Field::name).collect(Collectors.joining(" and "));
    }

    private static List<Problem> problems(Row row, FieldErrors errors) {
        List<Problem> problems = new ArrayList<>();
        errors.ordered().forEach((field, messages) -> messages.forEach(m -> problems.add(new Problem(row.line(), field, m))));
        return problems;
    }

    /** The records whose natural key is the form's, ignoring case; the key columns come from the declaration. */
    private List<R> byKey(Handle h, F form) {
        List<String> terms = new ArrayList<>();
        List<Object[]> binds = new ArrayList<>();
        for (Field<R> field : kind.naturalKey()) {
            Object value = field.stored(kind.input(form, field));
            String column = field.isFolded() ? field.keyColumn() : field.column();
            if (value == null) {
                terms.add(column + " IS NULL");
            } else {
                terms.add(column + " = :" + column);
                binds.add(new Object[] {column, field.isFolded() ? CaseFold.fold((String) value) : value});
            }
        }
        Query query = h.createQuery(sql.byKey).define("match", String.join(" AND ", terms));
        binds.forEach(bind -> query.bind((String) bind[0], bind[1]));
        return query.mapTo(kind.rowType()).list();
    }

    /** A unique value of the form that another record holds: "same as line M" when a line of this file gave it. */
    private List<Problem> taken(Handle h, Row row, F form, long self, Run run) {
        List<Problem> problems = new ArrayList<>();
        for (Field<R> field : kind.fields()) {
            if (!field.isUnique()) {
                continue;
            }
            Object value = field.stored(kind.input(form, field));
            if (value == null) {
                continue;
            }
            Optional<Long> holder = h.createQuery(sql.holder).define("column", field.keyColumn())
                    .bind("value", CaseFold.fold((String) value)).mapTo(Long.class).findOne();
            if (holder.isPresent() && holder.get() != self) {
                OptionalLong earlier = run.claimedBy(h, Long.toString(holder.get()));
                problems.add(new Problem(row.line(), field.name(),
                        earlier.isPresent() ? "same as line " + earlier.getAsLong() : field.duplicateMessage()));
            }
        }
        return problems;
    }

    private Result update(Handle h, Row row, R record, F form, Run run) {
        run.claim(h, Long.toString(record.id()), row.line());
        boolean same = kind.fields().stream().allMatch(f -> Objects.equals(f.stored(kind.input(form, f)), f.value(record)));
        if (same) {
            return Result.UNCHANGED;
        }
        int changed = records.bindFields(h.createUpdate(sql.update), form)
                .bind("now", Timestamps.now()).bind("id", record.id()).bind("version", record.version()).execute();
        if (changed != 1) {
            return Result.invalid(List.of(new Problem(row.line(), null, "the " + kind.singular() + " was changed by someone else "
                    + "during the import: import the file again")));
        }
        R after = records.find(h, record.id()).orElseThrow();
        run.history(h, "update", kind.path(), record.id(), kind.label(after), kind.diff(record, after));
        return Result.UPDATED;
    }

    private Result create(Handle h, Row row, long givenId, F form, Run run) {
        Instant now = Timestamps.now();
        long id;
        if (givenId > 0) {
            records.bindFields(h.createUpdate(sql.insertWithId), form)
                    .bind("id", givenId).bind("created", now).bind("now", now).bind("version", 1L).execute();
            id = givenId;
        } else {
            id = records.bindFields(h.createUpdate(sql.insert), form).bind("now", now)
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        }
        run.claim(h, Long.toString(id), row.line());
        R record = kind.stored(id, form, now);
        run.history(h, "create", kind.path(), id, kind.label(record), kind.values(record));
        return Result.CREATED;
    }

    /**
     * A PostgreSQL identity does not move past ids given explicitly, so the next record made by a
     * form would take one that an import gave: move it on to the highest id (never back). SQLite's
     * and MariaDB's counters move by themselves.
     */
    @Override
    public void finish(Handle h) {
        if (Engine.of(h) != Engine.POSTGRESQL) {
            return;
        }
        long max = h.createQuery("SELECT coalesce(max(id), 0) FROM " + kind.table()).mapTo(Long.class).one();
        long last = h.createQuery("SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence(:table, 'id')::regclass), 0)")
                .bind("table", kind.table()).mapTo(Long.class).one();
        if (max > last) {
            h.createQuery("SELECT setval(pg_get_serial_sequence(:table, 'id'), :id)").bind("table", kind.table()).bind("id", max)
                    .mapTo(Long.class).one();
        }
    }
}
