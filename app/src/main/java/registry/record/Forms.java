package registry.record;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import java.lang.reflect.RecordComponent;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
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

    /** A form record's components and their field names, worked out once per type: an import validates a form a row. */
    private record Shape(RecordComponent[] components, List<String> fields) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            for (RecordComponent component : components) {
                component.getAccessor().setAccessible(true); // a form record may be package-private (CreditForm)
            }
            return new Shape(components, Arrays.stream(components).map(c -> snakeCase(c.getName())).toList());
        }
    };

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
        Shape shape = SHAPES.get(form.getClass());
        FieldErrors errors = new FieldErrors();
        Set<String> broken = new HashSet<>();
        for (int i = 0; i < shape.components().length; i++) {
            RecordComponent component = shape.components()[i];
            if (component.getType() == String.class && !isValidText((String) value(form, component))) {
                String field = shape.fields().get(i);
                broken.add(field);
                errors.add(field, label(field) + " must be valid Unicode text (it holds an unpaired surrogate or bytes that are not UTF-8)");
            }
        }
        Set<ConstraintViolation<Record>> violations = VALIDATOR.validate(form);
        if (violations.isEmpty()) {
            return errors;
        }
        List<String> order = shape.fields();
        Set<String> blank = violations.stream().filter(Forms::isRequired).map(Forms::field).collect(Collectors.toSet());
        violations.stream()
                .filter(v -> !broken.contains(field(v)))
                .filter(v -> isRequired(v) || !blank.contains(field(v)))
                .sorted(Comparator.<ConstraintViolation<Record>>comparingInt(v -> order.indexOf(field(v)))
                        .thenComparing(ConstraintViolation::getMessage))
                .forEach(v -> errors.add(field(v), v.getMessage()));
        return errors;
    }

    /**
     * Whether {@code text} can be kept as it was sent: no unpaired surrogate (JSON can escape one,
     * and written as UTF-8 it becomes "?") and no U+FFFD, which the decoding of a form puts where its
     * bytes were not UTF-8. Either way the value stored would not be the value meant, so it is
     * refused rather than kept changed.
     */
    public static boolean isValidText(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD') {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Object value(Record form, RecordComponent component) {
        try {
            return component.getAccessor().invoke(form);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + form.getClass().getName(), e);
        }
    }

    /** "person_name" → "Person name", as the constraint messages name a field. */
    private static String label(String field) {
        String words = field.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
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
