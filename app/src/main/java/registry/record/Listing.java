package registry.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import registry.db.CaseFold;
import registry.db.Engine;
import registry.history.History;

/**
 * How the lists of one kind are read: what a search and the filters leave ({@link Where}), how
 * many, which slice, and the facet counts, on every engine with the same answers.
 *
 * <p>A slice near either end of a list is read with LIMIT/OFFSET from that end. Anywhere else it
 * starts from a key — the sort value and id of the record before it — which the index reaches
 * directly (keyset paging): the cursor of the API carries that key, and a page number in the
 * middle of a long list finds it among the keys that start each {@link #STRETCH} records,
 * collected in one pass over the index and kept until the data changes ({@link Versioned}), as
 * are the totals of searches and filters and the facet counts.
 */
final class Listing<R extends Record & Row> {
    /** Records between two kept keys: the most a middle page steps over (OFFSET) after its key. */
    static final int STRETCH = 1000;

    private final Kind<R, ?> kind;
    private final RecordSql sql;
    private final Engine engine;
    private final boolean searchable;
    private final Versioned<String> kept = new Versioned<>(Versioned.KEPT);

    Listing(Kind<R, ?> kind, RecordSql sql, Engine engine) {
        this.kind = kind;
        this.sql = sql;
        this.engine = engine;
        this.searchable = kind.fields().stream().anyMatch(Field::isSearched);
    }

    /** The sort value and id of a record: a page after it starts after this key. */
    record Key(Object value, long id) {}

    /** What narrows a view: the search's and each filter's condition, joined by AND, their values, and a name for it. */
    private record Where(String sql, Map<String, Object> binds, String name) {
        boolean isEmpty() {
            return sql.isEmpty();
        }

        Where and(String condition, Map<String, Object> more) {
            Map<String, Object> all = new LinkedHashMap<>(binds);
            all.putAll(more);
            return new Where(isEmpty() ? "WHERE " + condition : sql + " AND " + condition, all, name);
        }

        <S extends SqlStatement<S>> S on(S statement) {
            binds.forEach(statement::bind);
            return statement.define("where", sql);
        }
    }

    /**
     * The search: the FTS5 trigram table (where the kind has one, the engine uses it and the query
     * is long enough for it), or a LIKE over the search columns; both hold text folded without case
     * or accents ({@link CaseFold#forSearch}), as the query is. Then each filter of the query.
     */
    private Where where(ListQuery query) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> binds = new LinkedHashMap<>();
        if (query.searching() && searchable) {
            Optional<String> phrase = kind.hasSearchTable() && engine.searchTables() ? CaseFold.trigramPhrase(query.q()) : Optional.empty();
            conditions.add(phrase.isPresent() ? sql.indexed : sql.match);
            phrase.ifPresent(text -> binds.put("phrase", text));
            binds.put("pattern", CaseFold.containsPattern(query.q()));
        }
        for (Filter filter : kind.filters()) {
            String value = query.filters().get(filter.parameter());
            if (value != null) {
                Filter.Condition condition = filter.condition(engine, value);
                conditions.add(condition.sql());
                if (condition.value() != null) {
                    binds.put("f_" + filter.parameter(), condition.value());
                }
            }
        }
        return new Where(conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions), binds,
                (searchable ? query.q() : "") + '\u0000' + query.filters());
    }

    /**
     * The data version — any change of a record or credit moves it, on any instance — as one
     * request reads it: at most once, and only when something kept is asked for.
     */
    static LongSupplier version(Handle h) {
        long[] head = {-1};
        return () -> head[0] >= 0 ? head[0] : (head[0] = History.head(h));
    }

    /** How many records the view holds: the kept count of the table, or of a search and filters once per data version. */
    long total(Handle h, ListQuery query, LongSupplier version) {
        Where where = where(query);
        if (where.isEmpty()) {
            return h.createQuery(sql.count).mapTo(Long.class).one();
        }
        return kept.get("total " + where.name(), version.getAsLong(), () -> where.on(h.createQuery(sql.countWhere)).mapTo(Long.class).one());
    }

    /** Page {@code query.page()} of the view, {@code total} records in all. */
    List<R> page(Handle h, ListQuery query, long total, LongSupplier version) {
        long offset = query.offset();
        if (offset >= total) {
            return List.of();
        }
        long limit = Math.min(query.size(), total - offset);
        long fromEnd = total - offset - limit;
        if (offset < STRETCH || offset <= fromEnd && offset < 2L * STRETCH) {
            return slice(h, query, query.descending(), limit, offset);
        }
        if (fromEnd < STRETCH) {
            List<R> items = new ArrayList<>(slice(h, query, !query.descending(), limit, fromEnd));
            Collections.reverse(items);
            return items;
        }
        List<Key> starts = starts(h, query, version);
        int stretch = (int) Math.min(offset / STRETCH, starts.size());
        return after(h, query, starts.get(stretch - 1), offset - (long) stretch * STRETCH, limit);
    }

    /**
     * The key of every {@link #STRETCH}-th record of the view (the last of each stretch), read in
     * one pass over the sort index's keys and kept per data version: 1,000 keys for a million
     * records.
     */
    private List<Key> starts(Handle h, ListQuery query, LongSupplier version) {
        Where where = where(query);
        return kept.get("starts " + query.sort() + ' ' + query.order() + ' ' + where.name(), version.getAsLong(), () -> {
            List<Key> starts = new ArrayList<>();
            ColumnMapper<?> value = valueMapper(h, query.sort());
            try (Stream<Key> keys = where.on(h.createQuery(sql.keys)).define("sort", kind.sortColumn(query.sort()))
                    .define("order", engine.sortDirection(query.descending()))
                    .map((rs, ctx) -> new Key(value.map(rs, 1, ctx), rs.getLong(2))).stream()) {
                long[] n = {0};
                keys.forEach(key -> {
                    if (++n[0] % STRETCH == 0) {
                        starts.add(key);
                    }
                });
            }
            return List.copyOf(starts);
        });
    }

    /**
     * Up to {@code limit} records of the view after {@code key}, {@code skip} of them stepped over
     * first. Records without a sort value come first in ascending order and last in descending
     * (as {@link Engine#sortDirection} orders them on every engine), so "after" is one range of
     * the sort index, or two: the rest of one side, then the other. Each range reads
     * {@code col >= v AND (col > v OR id > i)} rather than an OR of the two, which the index
     * serves as one range in order.
     */
    List<R> after(Handle h, ListQuery query, Key key, long skip, long limit) {
        Where where = where(query);
        String column = kind.sortColumn(query.sort());
        boolean desc = query.descending();
        List<Where> ranges = new ArrayList<>();
        Map<String, Object> id = Map.of("k_id", key.id());
        if (column.equals("id")) {
            ranges.add(where.and(desc ? "id < :k_id" : "id > :k_id", id));
        } else if (key.value() == null) {
            ranges.add(where.and(column + " IS NULL AND " + (desc ? "id < :k_id" : "id > :k_id"), id));
            if (!desc) {
                ranges.add(where.and(column + " IS NOT NULL", Map.of()));
            }
        } else {
            Map<String, Object> both = Map.of("k_id", key.id(), "k_value", key.value());
            ranges.add(where.and(desc ? column + " <= :k_value AND (" + column + " < :k_value OR id < :k_id)"
                    : column + " >= :k_value AND (" + column + " > :k_value OR id > :k_id)", both));
            if (desc) {
                ranges.add(where.and(column + " IS NULL", Map.of()));
            }
        }
        List<R> items = new ArrayList<>();
        long left = skip;
        for (Where range : ranges) {
            List<R> found = slice(h, query, range, query.descending(), limit - items.size(), left);
            items.addAll(found);
            if (items.size() >= limit) {
                break;
            }
            // This range ended within the page: the next starts at its first record, less what the skip had left.
            left = found.isEmpty() && left > 0 ? left - range.on(h.createQuery("SELECT count(*) FROM (SELECT 1 FROM " + kind.table()
                    + " <where> LIMIT :skip) stepped")).bind("skip", left).mapTo(Long.class).one() : 0;
        }
        return items;
    }

    /** The records of the view in order, from {@code offset}, at most {@code limit} (a stream: an export reads it all). */
    Stream<R> rows(Handle h, ListQuery query, boolean descending, long limit, long offset) {
        return rows(h, sql.export, query, where(query), descending, limit, offset);
    }

    private List<R> slice(Handle h, ListQuery query, boolean descending, long limit, long offset) {
        return slice(h, query, where(query), descending, limit, offset);
    }

    private List<R> slice(Handle h, ListQuery query, Where where, boolean descending, long limit, long offset) {
        try (Stream<R> rows = rows(h, sql.list, query, where, descending, limit, offset)) {
            return rows.toList();
        }
    }

    /** The records of {@code select} ({@link RecordSql#list} or {@link RecordSql#export}) in the view's order. */
    private Stream<R> rows(Handle h, String select, ListQuery query, Where where, boolean descending, long limit, long offset) {
        Query rows = where.on(h.createQuery(select))
                .define("sort", kind.sortColumn(query.sort()))
                .define("order", engine.sortDirection(descending))
                .bind("limit", limit)
                .bind("offset", offset);
        return rows.mapTo(kind.rowType()).stream();
    }

    /** The sort value of {@code record} for the sort {@code sort}, as its column holds it: a page after the record starts after this. */
    Key key(String sort, R record) {
        Optional<Field<R>> field = kind.field(sort);
        if (field.isPresent()) {
            Object value = field.get().value(record);
            return new Key(field.get().isFolded() && value != null ? CaseFold.fold((String) value) : value, record.id());
        }
        return new Key(switch (sort) {
            case "created_at" -> record.createdAt();
            case "updated_at" -> record.updatedAt();
            default -> record.id();
        }, record.id());
    }

    /** What a sort's key is held as in Java: the type its column reads and binds as. */
    Class<?> keyType(String sort) {
        return kind.field(sort).<Class<?>>map(Field::storedType).orElse(sort.equals("id") ? Long.class : Instant.class);
    }

    private ColumnMapper<?> valueMapper(Handle h, String sort) {
        return h.getConfig(org.jdbi.v3.core.mapper.ColumnMappers.class).findFor(keyType(sort))
                .orElseThrow(() -> new IllegalStateException("no column mapper for " + keyType(sort)));
    }

    /**
     * The facet counts of the view, by facet then value, counting what its search and filters
     * match, in the order each facet declares; kept per data version.
     */
    Map<String, Map<String, Long>> facets(Handle h, ListQuery query, LongSupplier version) {
        Where where = where(query);
        return kept.get("facets " + where.name(), version.getAsLong(), () -> {
            Map<String, Map<String, Long>> facets = new LinkedHashMap<>();
            for (Filter filter : kind.filters()) {
                filter.facet().ifPresent(facet -> facets.put(facet.name(), counts(h, where, facet)));
            }
            return facets;
        });
    }

    private Map<String, Long> counts(Handle h, Where where, Filter.Facet facet) {
        List<Map.Entry<String, Long>> rows = where.on(h.createQuery(facet.sql().apply(engine)))
                .map((rs, ctx) -> Map.entry(rs.getString(1) == null ? Filter.UNKNOWN : rs.getString(1), rs.getLong(2))).list();
        List<Map.Entry<String, Long>> ordered = new ArrayList<>(rows);
        if (facet.order() != null) {
            ordered.sort(Map.Entry.comparingByKey(facet.order()));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        ordered.forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }
}
