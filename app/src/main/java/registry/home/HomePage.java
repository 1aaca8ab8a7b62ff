package registry.home;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import registry.record.Kind;
import registry.record.ListQuery;
import registry.record.Page;
import registry.web.Pages;
import registry.record.Records;

/** The home page: how many of each record, and the five most recently changed of each kind. */
public final class HomePage {
    private static final ListQuery RECENT = new ListQuery("", "updated_at", true, 1, 5);

    /** One kind's box on the home page. */
    public record Summary(Kind<?, ?> kind, Page<?> recent) {}

    private final List<Records<?, ?>> kinds;
    private final Pages pages;

    public HomePage(List<Records<?, ?>> kinds, Pages pages) {
        this.kinds = kinds;
        this.pages = pages;
    }

    public void routes(RoutesConfig routes) {
        routes.get("/", this::show);
    }

    private void show(Context ctx) {
        List<Summary> summaries = kinds.stream().map(kind -> new Summary(kind.kind(), kind.list(RECENT, false))).toList();
        pages.render(ctx, "home", Map.of("summaries", summaries));
    }
}
