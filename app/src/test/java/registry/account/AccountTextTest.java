package registry.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registry.access.Role;
import registry.support.TestDb;

/** Text an account keeps (a password's hash, a token's name) is refused when it is not valid Unicode, never kept changed. */
class AccountTextTest {
    @TempDir
    Path dir;

    @Test
    void a_password_or_token_name_with_a_lone_surrogate_is_a_field_error() {
        try (TestDb db = TestDb.in(dir)) {
            Accounts accounts = new Accounts(db.database, Clock.systemUTC(), 60);
            Account admin = accounts.add("text_admin", Role.ADMIN, "tidy-otter-minus-42-plum", registry.history.Actor.CLI);

            AccountRefused password = catchThrowableOfType(AccountRefused.class,
                    () -> accounts.add("text_viewer", Role.VIEWER, "tidy-otter-\ud800-minus-42", registry.history.Actor.CLI));
            AccountRefused name = catchThrowableOfType(AccountRefused.class,
                    () -> accounts.createToken(admin.id(), "laptop \udc00", "read", null, registry.history.Actor.CLI));

            assertThat(password.status()).isEqualTo(422);
            assertThat(password.errors().of("password")).containsExactly(
                    "Password must be valid Unicode text (it holds an unpaired surrogate or bytes that are not UTF-8)");
            assertThat(name.errors().of("name")).containsExactly(
                    "Name must be valid Unicode text (it holds an unpaired surrogate or bytes that are not UTF-8)");
            assertThat(accounts.find("text_viewer")).isEmpty();
            assertThat(accounts.tokens(admin.id())).isEmpty();
        }
    }
}
