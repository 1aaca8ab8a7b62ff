package registry.web;

import io.javalin.http.Context;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.lang.reflect.RecordComponent;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** Reading and checking form input, shared by the pages and the API. */
public final class Forms {
    /** Built once: a validator factory is costly. ParameterMessageInterpolator needs no Jakarta EL. */
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    private Forms() {}

    /** Input as we keep it: surrounding spaces trimmed, Unicode in composed (NFC) form. */
    public static String clean(String raw) {
        return raw == null ? null : Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    }

    /** A cleaned HTML form field, "" when absent (a browser sends empty fields as ""). */
    public static String field(Context ctx, String name) {
        String value = ctx.formParam(name);
        return value == null ? "" : clean(value);
    }

    /** The constraint messages of a form record, by field, in the record's field order. */
    public static FieldErrors validate(Record form) {
        List<String> order = Arrays.stream(form.getClass().getRecordComponents()).map(RecordComponent::getName).toList();
        FieldErrors errors = new FieldErrors();
        VALIDATOR.validate(form).stream()
                .sorted(Comparator.<ConstraintViolation<Record>>comparingInt(v -> order.indexOf(v.getPropertyPath().toString()))
                        .thenComparing(ConstraintViolation::getMessage))
                .forEach(v -> errors.add(v.getPropertyPath().toString(), v.getMessage()));
        return errors;
    }
}
