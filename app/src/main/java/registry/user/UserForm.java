package registry.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import registry.record.Forms;

/** The user fields as typed in a form or sent as JSON, trimmed, with their rules. */
public record UserForm(
        @NotBlank(message = "Username is required")
        @Size(min = 3, max = 50, message = "Username must be 3 to 50 characters long")
        @Pattern(regexp = "[A-Za-z0-9_.-]*", message = "Username may contain only letters, digits and the characters _ . -")
        String username,

        @NotBlank(message = "Email is required")
        @Size(max = 120, message = "Email must be at most 120 characters long")
        @Pattern(regexp = Forms.NO_CONTROL_CHARACTERS, message = "Email must not contain control characters")
        @Email(regexp = "[^@]+@[^@]+\\.[^@]+", message = "Email must be a valid address, such as name@example.org")
        String email) {}
