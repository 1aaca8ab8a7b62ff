package registry.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import registry.record.Forms;

/** Values from paths and fields: text cleaned, numbers refused with a clear 4xx rather than a parse exception. */
public final class Params {
    private Params() {}

    /** The {@code {id}} of the path; anything but a positive whole number in plain digits ("+1" is not) names no record, so 404. */
    public static long id(Context ctx, String what) {
        return id(ctx, "id", what);
    }

    /** The id in the path parameter {@code param}, as {@link #id(Context, String)}. */
    public static long id(Context ctx, String param, String what) {
        String raw = ctx.pathParam(param);
        if (raw.matches("[1-9][0-9]{0,17}")) {
            return Long.parseLong(raw);
        }
        throw new NotFoundResponse("No " + what + " with id " + raw);
    }

    /** A cleaned HTML form field, "" when absent (a browser sends empty fields as ""). */
    public static String field(Context ctx, String name) {
        String value = ctx.formParam(name);
        return value == null ? "" : Forms.clean(value);
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
