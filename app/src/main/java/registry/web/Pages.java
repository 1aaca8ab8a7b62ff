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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import registry.access.Caller;
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
    /** Markers no template, record or account name holds: made at random at each start. */
    private static final String CSRF_MARK = "csrf" + Signer.randomToken().replaceAll("[^A-Za-z0-9]", "");
    private static final String SLOT_MARK = "slot" + Signer.randomToken().replaceAll("[^A-Za-z0-9]", "");
    /** Frames kept: a handful of pages for each account that reads them; the least recently used go first. */
    private static final int FRAMES = 512;
    /** Pages around a kept list, by caller and kind (see {@link #render(Context, String, Map, Object, String, String)}). */
    private final Map<FrameKey, Frame> frames = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FrameKey, Frame> eldest) {
            return size() > FRAMES;
        }
    };

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
        whole(ctx, status, template, model, flash.take(ctx));
    }

    private void whole(Context ctx, int status, String template, Map<String, Object> model, Optional<String> message) {
        Map<String, Object> context = context(ctx, model, csrf.token(ctx));
        message.ifPresent(m -> context.put("flash", m));
        ctx.status(status).contentType(HTML).result(part(template, context));
    }

    /**
     * {@code template} with {@code model}, and {@code value} as its {@code slot}: as {@link #render}
     * makes it, from a frame made once per caller (account name and role) for {@code model}, which
     * must be the same whenever {@code modelKey} is. The frame is the page with markers where the
     * request's form token and the slot go, filled in at each request. Why: a list page already made
     * once per data version ({@link registry.record.Records#shown}) spent a quarter of its time
     * rendering the layout and the create form around it. A page with a flash message or with the
     * recorded queries is rendered whole.
     */
    public void render(Context ctx, String template, Map<String, Object> model, Object modelKey, String slot, String value) {
        Optional<String> message = flash.take(ctx);
        if (message.isPresent() || recordQueries) {
            Map<String, Object> filled = new HashMap<>(model);
            filled.put(slot, value);
            whole(ctx, 200, template, filled, message);
            return;
        }
        Optional<Caller> caller = Access.caller(ctx);
        FrameKey key = new FrameKey(template, modelKey, caller.map(Caller::username).orElse(null), caller.map(Caller::role).orElse(null), canEdit(ctx));
        Frame frame;
        synchronized (frames) {
            frame = frames.get(key);
        }
        if (frame == null) {
            Map<String, Object> context = context(ctx, model, CSRF_MARK);
            context.put(slot, SLOT_MARK);
            frame = Frame.of(part(template, context));
            synchronized (frames) {
                frames.put(key, frame);
            }
        }
        ctx.status(200).contentType(HTML).result(frame.fill(() -> csrf.token(ctx), value));
    }

    /** What a page's template gets besides its model: the form token, the kinds, the caller and, with the option, the request's statements. */
    private Map<String, Object> context(Context ctx, Map<String, Object> model, String token) {
        Map<String, Object> context = new HashMap<>(model);
        context.put("csrf", token);
        context.put("kinds", kinds);
        Access.caller(ctx).ifPresent(caller -> {
            context.put("caller", caller);
            context.put("canEdit", canEdit(ctx));
        });
        if (recordQueries) {
            context.put("queries", QueryLog.recorded());
        }
        return context;
    }

    private record FrameKey(String template, Object model, String username, Role role, boolean canEdit) {}

    /**
     * A page cut at its markers: {@code texts[i]}, then the form token where {@code tokens[i]} (else
     * the slot), and the last text. The token is asked for only where the page holds a form.
     */
    private record Frame(String[] texts, boolean[] tokens, int length) {
        static Frame of(String page) {
            List<String> texts = new ArrayList<>();
            List<Boolean> tokens = new ArrayList<>();
            int from = 0;
            while (true) {
                int token = page.indexOf(CSRF_MARK, from);
                int slot = page.indexOf(SLOT_MARK, from);
                if (token < 0 && slot < 0) {
                    break;
                }
                boolean isToken = token >= 0 && (slot < 0 || token < slot);
                int at = isToken ? token : slot;
                texts.add(page.substring(from, at));
                tokens.add(isToken);
                from = at + (isToken ? CSRF_MARK : SLOT_MARK).length();
            }
            texts.add(page.substring(from));
            boolean[] marks = new boolean[tokens.size()];
            for (int i = 0; i < marks.length; i++) {
                marks[i] = tokens.get(i);
            }
            return new Frame(texts.toArray(String[]::new), marks, page.length());
        }

        String fill(Supplier<String> token, String value) {
            StringBuilder out = new StringBuilder(length + value.length() + 128);
            for (int i = 0; i < tokens.length; i++) {
                out.append(texts[i]).append(tokens[i] ? token.get() : value);
            }
            return out.append(texts[tokens.length]).toString();
        }
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
