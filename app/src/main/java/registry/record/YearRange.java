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
            boolean valid = value.matches("\\d{1,4}") && Integer.parseInt(value) >= min && Integer.parseInt(value) <= max;
            if (!valid) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate(message + " from " + min + " to " + max).addConstraintViolation();
            }
            return valid;
        }
    }
}
