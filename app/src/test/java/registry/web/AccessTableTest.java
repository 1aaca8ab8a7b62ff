package registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access table itself: the start-up check that no route is left out of it. */
class AccessTableTest {
    private final Access access = new Access(List.of("users", "people", "movies"), null, null, null, null, false);

    @Test
    void a_route_missing_from_the_table_is_named_so_that_the_app_refuses_to_start() {
        List<Endpoint> endpoints = List.of(
                new Endpoint(HandlerType.GET, "/users/{id}", ctx -> {}),
                new Endpoint(HandlerType.POST, "/users/{id}/archive", ctx -> {}),
                new Endpoint(HandlerType.GET, "/reports", ctx -> {}),
                new Endpoint(HandlerType.BEFORE, "/*", ctx -> {}));

        assertThat(access.unruled(endpoints)).containsExactly("POST /users/{id}/archive", "GET /reports");
    }

    @Test
    void kind_routes_are_ruled_for_every_kind() {
        assertThat(access.need("GET", "/people/{id}")).hasValue(Access.Need.READER);
        assertThat(access.need("POST", "/movies/{id}/delete")).hasValue(Access.Need.EDITOR);
        assertThat(access.need("GET", "/accounts/{id}")).hasValue(Access.Need.ADMIN);
        assertThat(access.need("GET", "/{kind}")).isEmpty();
    }
}
