package registry.record;

import registry.web.Json;
import io.javalin.http.Context;
import java.util.function.Function;

/**
 * How a kind's form is filled: empty, from an HTML form, from a JSON body, from a stored record.
 * Each kind names its form record's own factories: {@code new FormBinding<>(UserForm.EMPTY,
 * UserForm::from, UserForm::from, UserForm::of)}.
 */
public record FormBinding<R, F extends Record>(F empty, Function<Context, F> fromForm, Function<Json, F> fromJson,
                                               Function<R, F> fromRecord) {}
