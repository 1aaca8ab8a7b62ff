package registry.record;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;

/**
 * Text that is blank or one of an enum's values as {@code toString} gives them, so that the list
 * of allowed values is stated once, in the enum; the message lists them.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = OneOf.Check.class)
public @interface OneOf {
    Class<? extends Enum<?>> value();

    /** The start of the message: "Role must be one of". */
    String message();

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The check; the message names the values, so it is built here. */
    final class Check implements ConstraintValidator<OneOf, String> {
        private List<String> allowed;
        private String message;

        @Override
        public void initialize(OneOf oneOf) {
            allowed = Arrays.stream(oneOf.value().getEnumConstants()).map(Object::toString).toList();
            message = oneOf.message();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank() || allowed.contains(value)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(message + " " + String.join(", ", allowed)).addConstraintViolation();
            return false;
        }
    }
}
