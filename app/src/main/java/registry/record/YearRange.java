package registry.record;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Year;

/**
 * An optional year, as typed: blank, or a whole number from {@code min} to this year plus
 * {@code yearsAhead}. The upper bound moves with the calendar, which no constant annotation can say.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = YearRange.Check.class)
public @interface YearRange {
    int min();

    int yearsAhead() default 0;

    String message();

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The check; the message names the bounds, so it is built here. */
    final class Check implements ConstraintValidator<YearRange, String> {
        private int min;
        private int yearsAhead;
        private String message;

        @Override
        public void initialize(YearRange range) {
            min = range.min();
            yearsAhead = range.yearsAhead();
            message = range.message();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank()) {
                return true;
            }
            int max = Year.now().getValue() + yearsAhead;
            int year = digits(value);
            boolean valid = year >= 0 && year >= min && year <= max;
            if (!valid) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(message + " from " + min + " to " + max).addConstraintViolation();
            }
            return valid;
        }

        /** One to four ASCII digits as a number, else -1: no regular expression to compile for every row of an import. */
        public static int digits(String value) {
            if (value.isEmpty() || value.length() > 4) {
                return -1;
            }
            int year = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                year = year * 10 + (c - '0');
            }
            return year;
        }
    }
}
