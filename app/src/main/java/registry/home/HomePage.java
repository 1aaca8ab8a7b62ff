package registry.home;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import registry.db.Database;
import registry.web.Pages;

/** The home page: how many of each record, with links to each list. */
public final class HomePage {
    interface HomeDao {
        @SqlQuery("SELECT count(*) FROM users")
        long users();
    }

    private final Database database;
    private final Pages pages;

    public HomePage(Database database, Pages pages) {
        this.database = database;
        this.pages = pages;
    }

    public void routes(RoutesConfig routes) {
        routes.get("/", this::show);
    }

    private void show(Context ctx) {
        long users = database.read(h -> h.attach(HomeDao.class).users());
        pages.render(ctx, "home", Map.of("users", users));
    }
}
