package registry.user;

import registry.record.Field;
import registry.record.Filter;
import registry.record.Kind;

/** The user registry, declared: a username and an email, each unique ignoring case. */
public final class Users {
    public static final Kind<User, UserForm> KIND = Kind.of("users", "user", "Users", User.class, UserForm.class)
            .field(Field.<User>text("username", "Username", User::username)
                    .folded().searched().unique("Username is already taken").key().autocomplete("username"))
            .field(Field.<User>email("email", "Email", User::email)
                    .folded().searched().unique("Email is already registered").autocomplete("email"))
            .searchTable()
            .filter(Filter.domain("domain", "Domain", "users", "email_key"))
            .build();

    private Users() {}
}
