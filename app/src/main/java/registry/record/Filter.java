package registry.record;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import registry.db.CaseFold;
import registry.db.Engine;

/**
 * One way to narrow a list, declared with its kind (SPEC "Finding records"): the query parameter it
 * reads and the condition it adds to the list's SQL, the same on pages, API and CSV export. A value
 * it cannot use is ignored, as a bad sort is: the list answers 200 without it. Some filters also
 * count the records by their values (a {@link Facet}), each count a link that adds the filter.
 */
public final class Filter {
    /** The value of {@code decade} (and of its facet) for records without a year. */
    public static final String UNKNOWN = "unknown";

    /**
     * What a filter adds to a list's WHERE: SQL over our own identifiers (never request text), with
     * at most one value, bound as {@code :f_<parameter>} (none when {@code value} is null).
     */
    public record Condition(String sql, Object value) {}

    /**
     * The counts beside a list by a filter's values: {@code sql} selects {@code (value, n)} rows for
     * the records of the JDBI define {@code <where>} (a null value counts as {@link #UNKNOWN}), and
     * {@code order} orders them as shown; null keeps the order of the SQL.
     */
    public record Facet(String name, Function<Engine, String> sql, Comparator<String> order) {}

    private final String parameter;
    private final String label;
    /** The value as the condition binds it, or empty when the value is of no use. */
    private final Function<String, Optional<Object>> parse;
    private final BiFunction<Engine, Object, Condition> condition;
    private final Facet facet;
    private final Function<String, String> shown;

    private Filter(String parameter, String label, Function<String, Optional<Object>> parse, BiFunction<Engine, Object, Condition> condition,
                   Facet facet, Function<String, String> shown) {
        this.parameter = parameter;
        this.label = label;
        this.parse = parse;
        this.condition = condition;
        this.facet = facet;
        this.shown = shown;
    }

    private Filter(String parameter, String label, Function<String, Optional<Object>> parse, BiFunction<Engine, Object, Condition> condition,
                   Facet facet) {
        this(parameter, label, parse, condition, facet, Function.identity());
    }

    /** A value as a page shows it among the facet counts: "1970s" for the decade 1970. */
    public String shown(String value) {
        return shown.apply(value);
    }

    /** The query parameter: "year_from". */
    public String parameter() {
        return parameter;
    }

    /** What a page calls it: "Year from", "Decade". */
    public String label() {
        return label;
    }

    /**
     * The value (stripped) as the list keeps it in its links ("1970s" → "1970"), or empty when it
     * does not narrow the list: a list ignores such a value and drops it from its links.
     */
    public Optional<String> normalized(String value) {
        return value.isEmpty() ? Optional.empty() : parse.apply(value).map(String::valueOf);
    }

    /** The condition of an accepted value, in {@code engine}'s SQL. */
    Condition condition(Engine engine, String value) {
        return condition.apply(engine, parse.apply(value).orElseThrow());
    }

    /** The facet counted beside the list by this filter's values, if it has one. */
    public Optional<Facet> facet() {
        return Optional.ofNullable(facet);
    }

    /** Whether a page offers it as counts to pick from (a facet) rather than a box to type in (templates call this). */
    public boolean isFaceted() {
        return facet != null;
    }

    /** Records whose whole-number {@code column} is at least the value: {@code year_from=1970}. */
    public static Filter atLeast(String parameter, String label, String column) {
        return new Filter(parameter, label, Filter::year, (engine, year) -> new Condition(column + " >= :f_" + parameter, year), null);
    }

    /** Records whose whole-number {@code column} is at most the value: {@code year_to=1979}. */
    public static Filter atMost(String parameter, String label, String column) {
        return new Filter(parameter, label, Filter::year, (engine, year) -> new Condition(column + " <= :f_" + parameter, year), null);
    }

    /**
     * Records of a decade of {@code column} ({@code decade=1970}, or {@code 1970s}), or without a
     * value ({@code decade=unknown}); its facet counts the records by decade. The decade is
     * {@code year - year % 10}: the same integer arithmetic on every engine, where division is not.
     */
    public static Filter decade(String table, String column) {
        String decade = column + " - " + column + " % 10";
        Facet facet = new Facet("decade", engine -> "SELECT " + decade + " AS value, count(*) AS n FROM " + table + " <where> GROUP BY "
                + decade, Comparator.comparing((String value) -> value.equals(UNKNOWN)).thenComparingInt(value -> value.equals(UNKNOWN) ? 0
                : Integer.parseInt(value)));
        return new Filter("decade", "Decade", value -> {
            if (value.equalsIgnoreCase(UNKNOWN)) {
                return Optional.<Object>of(UNKNOWN);
            }
            String digits = value.toLowerCase(Locale.ROOT).endsWith("s") ? value.substring(0, value.length() - 1) : value;
            return year(digits).filter(year -> (Integer) year % 10 == 0);
        }, (engine, year) -> UNKNOWN.equals(year) ? new Condition(column + " IS NULL", null)
                : new Condition(column + " BETWEEN :f_decade AND :f_decade + 9", year), facet,
                value -> value.equals(UNKNOWN) ? value : value + "s");
    }

    /**
     * Records that a row of {@code dependents} names through {@code reference} with
     * {@code column} = the value, one of {@code values} ({@code role=director}: a movie with a
     * director on record); its facet counts, for each value, the records that have one.
     */
    public static Filter having(String parameter, String label, String table, String dependents, String reference, String column, List<String> values) {
        Facet facet = new Facet(parameter, engine -> "SELECT d." + column + " AS value, count(DISTINCT d." + reference + ") AS n FROM "
                + dependents + " d WHERE d." + reference + " IN (SELECT id FROM " + table + " <where>) GROUP BY d." + column, Comparator.comparingInt(values::indexOf));
        return new Filter(parameter, label, value -> values.contains(value) ? Optional.of(value) : Optional.empty(),
                (engine, value) -> new Condition("EXISTS (SELECT 1 FROM " + dependents + " d WHERE d." + reference + " = " + table
                        + ".id AND d." + column + " = :f_" + parameter + ")", value), facet);
    }

    /**
     * Records whose address in the folded {@code keyColumn} is at the value's domain, ignoring case
     * ({@code domain=Example.org}); its facet lists the {@link #TOP_DOMAINS} most common. Both
     * compare the part after the last {@code @}, which no index serves: a scan of the table, as a
     * substring search is on the servers, and the facet counted once per data version.
     */
    public static Filter domain(String parameter, String label, String table, String keyColumn) {
        Facet facet = new Facet(parameter, engine -> "SELECT " + engine.domainOf(keyColumn) + " AS value, count(*) AS n FROM " + table
                + " <where> GROUP BY " + engine.domainOf(keyColumn) + " ORDER BY n DESC, value LIMIT " + TOP_DOMAINS, null);
        return new Filter(parameter, label, value -> {
            String domain = value.startsWith("@") ? value.substring(1) : value;
            return domain.isEmpty() || domain.contains("@") || domain.length() > 120 ? Optional.empty() : Optional.<Object>of(CaseFold.fold(domain));
        }, (engine, domain) -> new Condition(engine.domainOf(keyColumn) + " = :f_" + parameter, domain), facet);
    }

    /** How many domains the users' facet lists. */
    public static final int TOP_DOMAINS = 10;

    /** A year as the filters take it: up to four digits. */
    private static Optional<Object> year(String value) {
        int year = YearRange.Check.digits(value);
        return year < 0 ? Optional.empty() : Optional.<Object>of(year);
    }
}
