package registry.db;

import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code database.echo} and {@code database.record-queries}: logs each statement with its time,
 * and keeps each request's statements for the foot of its page. A request is served on one
 * thread from start to end, so a thread-local list is that request's.
 */
public final class QueryLog implements SqlLogger {
    private static final Logger LOG = LoggerFactory.getLogger("registry.sql");
    private static final ThreadLocal<List<Query>> RECORDING = new ThreadLocal<>();

    /** One executed statement and how long it took. */
    public record Query(String sql, double millis) {}

    private final boolean echo;

    QueryLog(boolean echo) {
        this.echo = echo;
    }

    /** Starts keeping this thread's statements. */
    public static void startRecording() {
        RECORDING.set(new ArrayList<>());
    }

    /** The statements kept since {@link #startRecording()}; empty when not recording. */
    public static List<Query> recorded() {
        List<Query> queries = RECORDING.get();
        return queries == null ? List.of() : List.copyOf(queries);
    }

    public static void stopRecording() {
        RECORDING.remove();
    }

    /** This thread's recording, if any: for work done on another thread for this one (the writer's). */
    static List<Query> recording() {
        return RECORDING.get();
    }

    /** Records this thread's statements into {@code queries} (another thread's recording), or stops when null. */
    static void recordInto(List<Query> queries) {
        if (queries == null) {
            RECORDING.remove();
        } else {
            RECORDING.set(queries);
        }
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        record(context, "");
    }

    @Override
    public void logException(StatementContext context, SQLException ex) {
        record(context, " failed: " + ex.getMessage());
    }

    private void record(StatementContext context, String outcome) {
        if (wanted()) { // neither asked for: skip the formatting, which every statement would pay
            record(context.getRenderedSql(), context.getElapsedTime(ChronoUnit.MICROS), outcome, context.getBinding());
        }
    }

    /** Whether statements are logged or recorded on this thread now: else {@link #record} need not be called. */
    boolean wanted() {
        return echo || RECORDING.get() != null;
    }

    /** A statement run by JDBI or outside it ({@link Prepared}): its SQL, time, outcome ("" or " failed: …") and what was bound. */
    void record(String rendered, long micros, String outcome, Object binding) {
        double millis = micros / 1000.0;
        String sql = rendered.strip().replaceAll("\\s+", " ");
        if (echo) {
            LOG.info("{} ms{} {} {}", String.format("%.2f", millis), outcome, sql, binding);
        }
        List<Query> queries = RECORDING.get();
        if (queries != null) {
            queries.add(new Query(sql, millis));
        }
    }
}
