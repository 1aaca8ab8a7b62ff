package registry.web;

import io.javalin.http.Context;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.DelegatingLoader;
import io.pebbletemplates.pebble.loader.Loader;
import java.io.Reader;
import java.io.StringReader;
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
import registry.access.Role;
import registry.db.QueryLog;
import registry.record.Derived;
import registry.record.Kind;
import registry.record.Row;
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

    /** @param kinds every kind of record, for the navigation and the rows of each list */
    public Pages(Csrf csrf, Flash flash, boolean recordQueries, List<Kind<?, ?>> kinds) {
        ClasspathLoader files = new ClasspathLoader(Pages.class.getClassLoader());
        files.setPrefix("templates");
        files.setSuffix(".peb");
        Map<String, String> rows = new HashMap<>();
        kinds.forEach(kind -> rows.put(ROWS + kind.path(), rows(kind)));
        Loader<?> loader = new DelegatingLoader(List.of(new Generated(rows), files));
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

    /** The generated template of a kind's list rows: this and the kind's path. */
    private static final String ROWS = "records/rows/";

    /**
     * A list's table rows for {@code kind}, written out field by field from its declaration. A
     * loop over the fields inside the loop over the rows did the same, but cost a list page a
     * quarter of its throughput (1,280 → 990 pages/s): Pebble pays for every loop scope and
     * reflective call with arguments; a plain attribute per cell is what the hand-written
     * templates cost.
     */
    private static <R extends Record & Row> String rows(Kind<R, ?> kind) {
        StringBuilder row = new StringBuilder("{% for record in page.items %}\n<tr>\n  <td>{{ record.id }}</td>\n");
        for (int i = 0; i < kind.fields().size(); i++) {
            String value = "{{ record." + kind.accessor(kind.fields().get(i)) + " }}";
            row.append("  <td>").append(i == 0 ? "<a href=\"/" + kind.path() + "/{{ record.id }}\">" + value + "</a>" : value).append("</td>\n");
        }
        for (Derived derived : kind.derived()) {
            row.append("  <td>{{ record.").append(kind.accessor(derived)).append(" }}</td>\n");
        }
        for (String time : List.of("createdAt", "updatedAt")) {
            row.append("  <td><time datetime=\"{{ record.").append(time).append(" | iso }}\">{{ record.").append(time).append(" | minute }}</time></td>\n");
        }
        return row.append("</tr>\n{% endfor %}").toString();
    }

    /** Templates made in code, by name; any other name goes to the template files. */
    private record Generated(Map<String, String> sources) implements Loader<String> {
        @Override
        public Reader getReader(String name) {
            String source = sources.get(name);
            if (source == null) {
                throw new LoaderException(null, "no generated template " + name);
            }
            return new StringReader(source);
        }

        @Override
        public void setCharset(String charset) {}

        @Override
        public void setPrefix(String prefix) {}

        @Override
        public void setSuffix(String suffix) {}

        @Override
        public String resolveRelativePath(String relativePath, String anchorPath) {
            return null;
        }

        @Override
        public String createCacheKey(String templateName) {
            return templateName;
        }

        @Override
        public boolean resourceExists(String templateName) {
            return sources.containsKey(templateName);
        }
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

    /** Said in full: Javalin's {@code html()} says "text/html" and leaves the charset to the browser's guess. */
    private static final String HTML = "text/html; charset=utf-8";

    public void render(Context ctx, String template, Map<String, Object> model) {
        render(ctx, 200, template, model);
    }

    public void render(Context ctx, int status, String template, Map<String, Object> model) {
        Map<String, Object> context = new HashMap<>(model);
        context.put("csrf", csrf.token(ctx));
        context.put("kinds", kinds);
        Access.caller(ctx).ifPresent(caller -> {
            context.put("caller", caller);
            context.put("canEdit", canEdit(ctx));
        });
        flash.take(ctx).ifPresent(message -> context.put("flash", message));
        if (recordQueries) {
            context.put("queries", QueryLog.recorded());
        }
        ctx.status(status).contentType(HTML).result(part(template, context));
    }

    /** Whether the signed-in caller may change records: pages show them the forms that do. */
    public boolean canEdit(Context ctx) {
        return Access.caller(ctx).map(caller -> caller.may(Role.EDITOR, true)).orElse(false);
    }

    /**
     * A part of a page that is the same for everyone who sees it ({@link registry.record.Records#shown}):
     * {@code template} with {@code model} alone, without the request's form token, caller or flash.
     */
    public String part(String template, Map<String, Object> model) {
        StringWriter out = new StringWriter(8192);
        try {
            engine.getTemplate(template).evaluate(out, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
