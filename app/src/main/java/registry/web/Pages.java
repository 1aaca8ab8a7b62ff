package registry.web;

import io.javalin.http.Context;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import registry.db.QueryLog;
import registry.record.Kind;
import registry.db.Timestamps;

/**
 * Renders the Pebble templates under {@code templates/}, named like the URL they answer
 * ({@code /users/{id}/edit} → {@code users/edit}). Every page gets the CSRF token, the kinds of
 * record (for the navigation), the pending flash message and, with {@code database.record-queries}, the request's statements.
 */
public final class Pages {
    private final PebbleEngine engine;
    private final Csrf csrf;
    private final Flash flash;
    private final boolean recordQueries;
    private final List<Kind<?, ?>> kinds;

    /** @param kinds every kind of record, for the navigation */
    public Pages(Csrf csrf, Flash flash, boolean recordQueries, List<Kind<?, ?>> kinds) {
        ClasspathLoader loader = new ClasspathLoader(Pages.class.getClassLoader());
        loader.setPrefix("templates");
        loader.setSuffix(".peb");
        // Autoescaping is Pebble's default; said here so nobody turns it off by accident.
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).defaultEscapingStrategy("html")
                .extension(new AbstractExtension() {
                    @Override
                    public Map<String, Filter> getFilters() {
                        return Map.of("minute", new TimeFilter(true), "iso", new TimeFilter(false));
                    }
                })
                .build();
        this.csrf = csrf;
        this.flash = flash;
        this.recordQueries = recordQueries;
        this.kinds = kinds;
    }

    /**
     * {@code {{ instant | minute }}}: "2026-11-21 04:55" in UTC, for reading; {@code {{ instant | iso }}}:
     * "2026-11-21T04:55:27.123Z", for a {@code <time datetime>}. Both from {@link Timestamps#format},
     * which is written by hand: formatters were a tenth of a list page's rendering.
     */
    private static final class TimeFilter implements Filter {
        private final boolean minute;

        TimeFilter(boolean minute) {
            this.minute = minute;
        }

        @Override
        public List<String> getArgumentNames() {
            return List.of();
        }

        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
            if (!(input instanceof Instant time)) {
                return input;
            }
            String iso = Timestamps.format(time);
            return minute ? iso.substring(0, 10) + " " + iso.substring(11, 16) : iso;
        }
    }

    public void render(Context ctx, String template, Map<String, Object> model) {
        render(ctx, 200, template, model);
    }

    public void render(Context ctx, int status, String template, Map<String, Object> model) {
        Map<String, Object> context = new HashMap<>(model);
        context.put("csrf", csrf.token(ctx));
        context.put("kinds", kinds);
        flash.take(ctx).ifPresent(message -> context.put("flash", message));
        if (recordQueries) {
            context.put("queries", QueryLog.recorded());
        }
        StringWriter out = new StringWriter(8192);
        try {
            engine.getTemplate(template).evaluate(out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(status).html(out.toString());
    }
}
