package registry.record;

import java.sql.ResultSet;
import java.sql.SQLException;
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
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMappers;
import registry.db.CaseFold;
import registry.db.Engine;
import registry.db.Prepared;
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
    /** The natural key's first folded field: the lookup of a row without an id goes through its index. */
    private final Field<R> lookup;

    public RecordImport(Records<R, F> records) {
        this.records = records;
        this.kind = records.kind();
        this.sql = records.sql();
        columns.add("id");
        kind.fields().forEach(field -> columns.add(field.name()));
        columns.add("version");
        this.lookup = kind.naturalKey().stream().filter(Field::isFolded).findFirst().orElseThrow();
    }

    @Override
    public String kind() {
        return kind.path();
    }

    @Override
    public Set<String> columns() {
        return columns;
    }

    /** The times, and the derived values (a movie's directors): an export writes them, and they are not for writing. */
    @Override
    public Set<String> ignored() {
        Set<String> ignored = new LinkedHashSet<>(List.of("created_at", "updated_at"));
        kind.derived().forEach(d -> ignored.add(d.name()));
        return ignored;
    }

    @Override
    public List<String> missing(Set<String> present) {
        return kind.fields().stream().filter(f -> !f.isOptional() && !present.contains(f.name()))
                .map(f -> "Missing column \"" + f.name() + "\": every " + kind.singular() + " needs one").toList();
    }

    @Override
    public Pass<Given<F>> begin(Handle h, Run run) throws SQLException {
        return new RecordPass(h, run);
    }

    /** A row without an id as a form, and what the form's checks found: worked out ahead of the row's turn. */
    record Given<F>(F form, FieldErrors errors) {}

    /** One import's statements, prepared once; and the count (on SQLite also the full-text index) brought up to date once, at the end. */
    private final class RecordPass implements Pass<Given<F>> {
        private final Handle h;
        private final Run run;
        private final RowMapper<R> mapper;
        private final Prepared find;
        private final Prepared byKey;
        private final Prepared insert;
        private final Prepared lastId;
        private final Prepared insertWithId;
        private final Prepared update;
        private final List<Prepared> holders = new ArrayList<>();
        /** The triggers of inserts (on SQLite and PostgreSQL), off until {@link #finish}. */
        private final InsertTriggers triggers;
        private long created;

        RecordPass(Handle h, Run run) throws SQLException {
            this.h = h;
            this.run = run;
            this.mapper = h.getConfig(RowMappers.class).findFor(kind.rowType())
                    .orElseThrow(() -> new IllegalStateException("no row mapper for " + kind.rowType()));
            // First of all that touches the database: on PostgreSQL it locks the table, which must come before the history's turn.
            this.triggers = InsertTriggers.suspend(h, kind);
            this.find = Prepared.of(h, sql.findStored);
            this.byKey = Prepared.of(h, sql.holder.replace("<column>", lookup.keyColumn()));
            // SQLite's driver runs RETURNING as a query with its metadata (20 µs a row more than the insert alone, measured);
            // the rowid it just gave is one cheap statement away.
            boolean sqlite = Engine.of(h) == Engine.SQLITE;
            this.insert = Prepared.of(h, sqlite ? sql.insert : sql.insertReturningId);
            this.lastId = sqlite ? Prepared.of(h, Records.LAST_ROWID) : null;
            this.insertWithId = Prepared.of(h, sql.insertWithId);
            this.update = Prepared.of(h, sql.update);
            for (Field<R> field : kind.fields()) {
                holders.add(field.isUnique() ? Prepared.of(h, sql.holder.replace("<column>", field.keyColumn())) : null);
            }
        }

        /**
         * The row's own form, checked: a row without an id is matched by its natural key once this
         * form passes, and when the file gives every field it is the whole record's form.
         */
        @Override
        public Given<F> prepare(Row row) {
            F form = kind.form(field -> row.text(field.name()));
            return new Given<>(form, Forms.validate(form));
        }

        @Override
        public Result apply(Row row, Given<F> prepared) throws SQLException {
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
            F given = null;
            if (id > 0) {
                current = one(find.set("id", id));
            } else {
                given = prepared.form();
                if (!prepared.errors().isEmpty()) {
                    return Result.invalid(problems(row, prepared.errors()));
                }
                List<R> matches = byKey(given);
                if (matches.size() > 1) {
                    return Result.invalid(List.of(new Problem(row.line(), null, matches.size() + " " + kind.path() + " have this "
                            + keyName() + " (ids " + matches.stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(", "))
                            + "): give the id of the one to update")));
                }
                current = matches.stream().findFirst();
            }
            F form = kind.form(field -> row.has(field.name()) ? row.text(field.name()) : current.map(field::text).orElse(""));
            if (!form.equals(given)) { // the given form passed already
                problems.addAll(problems(row, form.equals(prepared.form()) ? prepared.errors() : Forms.validate(form)));
            }
            if (current.isPresent()) {
                R record = current.get();
                OptionalLong earlier = run.claimedBy(kind.path(), record.id());
                if (earlier.isPresent()) {
                    problems.add(new Problem(row.line(), id > 0 ? "id" : null, "same as line " + earlier.getAsLong()));
                }
                if (version > 0 && version != record.version()) {
                    problems.add(new Problem(row.line(), "version", "version " + version + " is stale: the " + kind.singular()
                            + " is at version " + record.version()));
                }
            }
            if (problems.isEmpty()) {
                problems.addAll(taken(row, form, current.map(R::id).orElse(id)));
            }
            if (!problems.isEmpty()) {
                return Result.invalid(problems);
            }
            return current.isPresent() ? update(row, current.get(), form) : create(row, id, form);
        }

        private Optional<R> one(Prepared query) throws SQLException {
            try (ResultSet rs = query.query()) {
                return rs.next() ? Optional.of(mapper.map(rs, null)) : Optional.empty();
            }
        }

        /**
         * The records whose natural key is the form's, ignoring case: their ids looked up by the
         * folded field, then each read whole and the rest of the key compared here. Ids alone,
         * because the SQLite driver reads every column's name anew at each query: for a whole
         * record that took twice the lookup itself, on every row of a file of new records, where
         * the lookup finds nothing. A row that matches costs a second query.
         */
        private List<R> byKey(F form) throws SQLException {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = byKey.set("value", CaseFold.fold((String) lookup.stored(kind.input(form, lookup)))).query()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            List<R> found = new ArrayList<>();
            for (long id : ids) {
                one(find.set("id", id)).filter(record -> kind.naturalKey().stream().allMatch(field -> field.isFolded()
                        ? CaseFold.fold(field.text(record)).equals(CaseFold.fold(kind.input(form, field)))
                        : Objects.equals(field.value(record), field.stored(kind.input(form, field))))).ifPresent(found::add);
            }
            return found;
        }

        /** A unique value of the form that another record holds: "same as line M" when a line of this file gave it. */
        private List<Problem> taken(Row row, F form, long self) throws SQLException {
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < kind.fields().size(); i++) {
                Field<R> field = kind.fields().get(i);
                Object value = field.stored(kind.input(form, field));
                if (holders.get(i) == null || value == null) {
                    continue;
                }
                try (ResultSet rs = holders.get(i).set("value", CaseFold.fold((String) value)).query()) {
                    if (rs.next() && rs.getLong(1) != self) {
                        OptionalLong earlier = run.claimedBy(kind.path(), rs.getLong(1));
                        problems.add(new Problem(row.line(), field.name(),
                                earlier.isPresent() ? "same as line " + earlier.getAsLong() : field.duplicateMessage()));
                    }
                }
            }
            return problems;
        }

        private Result update(Row row, R record, F form) throws SQLException {
            boolean same = kind.fields().stream().allMatch(f -> Objects.equals(f.stored(kind.input(form, f)), f.value(record)));
            if (same) {
                run.claimUnchanged(kind.path(), record.id(), row.line());
                return Result.UNCHANGED;
            }
            Instant now = Timestamps.now();
            if (records.bindFields(update, form).set("now", now).set("id", record.id()).set("version", record.version()).update() != 1) {
                return Result.invalid(List.of(new Problem(row.line(), null, "the " + kind.singular() + " was changed by someone else "
                        + "during the import: import the file again")));
            }
            R after = one(find.set("id", record.id())).orElseThrow();
            run.history(row.line(), "update", kind.path(), record.id(), kind.label(after), kind.diff(record, after));
            return Result.UPDATED;
        }

        private Result create(Row row, long givenId, F form) throws SQLException {
            Instant now = Timestamps.now();
            long id = givenId;
            if (givenId > 0) {
                records.bindFields(insertWithId, form).set("id", givenId).set("created", now).set("now", now).set("version", 1L).update();
            } else {
                records.bindFields(insert, form).set("now", now);
                if (lastId != null) {
                    insert.update();
                }
                try (ResultSet rs = lastId != null ? lastId.query() : insert.query()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            created++;
            R record = kind.stored(id, form, now);
            run.history(row.line(), "create", kind.path(), id, kind.label(record), kind.values(record));
            return Result.CREATED;
        }

        /**
         * A PostgreSQL identity does not move past ids given explicitly, so the next record made by a
         * form would take one that an import gave: move it on to the highest id (never back). SQLite's
         * and MariaDB's counters move by themselves.
         */
        @Override
        public void finish() {
            triggers.resume(created);
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

        @Override
        public void close() {
            for (Prepared statement : List.of(find, byKey, insert, insertWithId, update)) {
                statement.close();
            }
            if (lastId != null) {
                lastId.close();
            }
            holders.stream().filter(Objects::nonNull).forEach(Prepared::close);
        }
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
}
