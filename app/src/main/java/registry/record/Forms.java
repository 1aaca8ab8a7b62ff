package registry.record;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/** Reading and checking form input, shared by the pages and the API. */
public final class Forms {
    /**
     * Text without control characters other than tab and line breaks: a NUL or an escape belongs in
     * no name, and PostgreSQL cannot store a NUL at all, so every engine refuses them alike.
     */
    public static final String NO_CONTROL_CHARACTERS = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*";

    /** Hibernate Validator announces its version through java.util.logging; held so the level set here stays. */
    private static final java.util.logging.Logger VALIDATOR_LOG = quiet("org.hibernate.validator");

    /** Built once: a validator factory is costly. ParameterMessageInterpolator needs no Jakarta EL. */
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    private Forms() {}

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** Input as we keep it: surrounding spaces trimmed, Unicode in composed (NFC) form. */
    public static String clean(String raw) {
        return raw == null ? null : Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
    }

    /**
     * The constraint messages of a form record, by field, in the record's field order. A blank
     * required field gets only its "is required" message: its length and format are beside the point.
     */
    public static FieldErrors validate(Record form) {
        List<String> order = Arrays.stream(form.getClass().getRecordComponents()).map(c -> snakeCase(c.getName())).toList();
        Set<ConstraintViolation<Record>> violations = VALIDATOR.validate(form);
        Set<String> blank = violations.stream().filter(Forms::isRequired).map(Forms::field).collect(Collectors.toSet());
        FieldErrors errors = new FieldErrors();
        violations.stream()
                .filter(v -> isRequired(v) || !blank.contains(field(v)))
                .sorted(Comparator.<ConstraintViolation<Record>>comparingInt(v -> order.indexOf(field(v)))
                        .thenComparing(ConstraintViolation::getMessage))
                .forEach(v -> errors.add(field(v), v.getMessage()));
        return errors;
    }

    private static boolean isRequired(ConstraintViolation<Record> violation) {
        return violation.getConstraintDescriptor().getAnnotation() instanceof NotBlank;
    }

    /** The field as forms and JSON name it: personId → person_id. */
    private static String field(ConstraintViolation<Record> violation) {
        return snakeCase(violation.getPropertyPath().toString());
    }

    public static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
