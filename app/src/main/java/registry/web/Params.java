package registry.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

/** Numbers from paths and fields, refused with a clear 4xx rather than a parse exception. */
public final class Params {
    private Params() {}

    /** The {@code {id}} of the path; anything but a positive whole number in plain digits ("+1" is not) names no record, so 404. */
    public static long id(Context ctx, String what) {
        String raw = ctx.pathParam("id");
        if (raw.matches("[1-9][0-9]{0,17}")) {
            return Long.parseLong(raw);
        }
        throw new NotFoundResponse("No " + what + " with id " + raw);
    }

    /** A {@code version} value: null when absent, 400 when not a whole number. */
    public static Long version(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("version must be a whole number");
        }
    }
}
