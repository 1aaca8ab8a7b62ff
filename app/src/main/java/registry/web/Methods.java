package registry.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The request methods as SPEC "Pages" wants them. Javalin 7 gets three things otherwise: it takes
 * {@code X-HTTP-Method-Override} as the method (a GET with "DELETE" in it deleted a record); it
 * answers HEAD of any GET route with an empty 200 without running the route, so without its
 * access check or its 404; and it answers a known path asked with another method 404.
 */
public final class Methods {
    /** Headers with which some servers let a request name another method; none is obeyed here. */
    static final List<String> OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    private Methods() {}

    /** Call after every route is added: HEAD is added beside each GET route that exists by then. */
    public static void register(JavalinConfig cfg) {
        cfg.http.prefer405over404 = true;
        cfg.routes.before(Methods::refuseOverride);
        List<ParsedEndpoint> routes = cfg.unsafe.internalRouter.allHttpHandlers();
        Set<String> heads = routes.stream().map(r -> r.endpoint).filter(e -> e.method == HandlerType.HEAD)
                .map(e -> e.path).collect(Collectors.toSet());
        routes.stream().map(r -> r.endpoint)
                .filter(e -> e.method == HandlerType.GET && !heads.contains(e.path))
                .toList() // the router's list grows as HEAD routes are added
                .forEach(get -> cfg.routes.addEndpoint(new Endpoint(HandlerType.HEAD, get.path, get.handler)));
    }

    /**
     * Refused, not ignored: a client that sends one expects another method than the one it used,
     * and whichever it meant, the answer would not be what it asked for.
     */
    private static void refuseOverride(Context ctx) {
        for (String header : OVERRIDES) {
            if (ctx.header(header) != null) {
                throw new BadRequestResponse(header + " is not accepted: send the request with the method you mean");
            }
        }
    }

    /** The {@code Allow} value of a 405: the methods Javalin found routes for at this path. */
    static String allow(MethodNotAllowedResponse e) {
        return e.getDetails().values().stream().flatMap(methods -> Arrays.stream(methods.split(",")))
                .map(String::strip).filter(m -> !m.isEmpty()).distinct().collect(Collectors.joining(", "));
    }
}
