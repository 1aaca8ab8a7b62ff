package registry.user;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import registry.db.CaseFold;
import registry.db.Database;
import registry.record.FieldErrors;
import registry.record.FormBinding;
import registry.record.Records;

/** The user registry: what the shared pages, API and export need to know about users. */
public final class Users extends Records<User, UserForm, UserDao> {

    public Users(Database database) {
        super(database, User.class, UserDao.class, "users", "user", "Users", "username or email",
                List.of("id", "username", "email", "created_at", "updated_at"), UserDao.SORT_COLUMNS,
                new FormBinding<>(UserForm.EMPTY, UserForm::from, UserForm::from, UserForm::of));
    }

    @Override
    public String label(User user) {
        return user.username();
    }

    @Override
    protected Optional<User> find(UserDao dao, long id) {
        return dao.findById(id);
    }

    @Override
    protected long insert(UserDao dao, UserForm form, Instant now) {
        return dao.insert(form.username(), CaseFold.fold(form.username()), form.email(), CaseFold.fold(form.email()), now);
    }

    @Override
    protected User stored(long id, UserForm form, Instant now) {
        return new User(id, form.username(), form.email(), now, now, 1);
    }

    @Override
    protected int update(UserDao dao, long id, long version, UserForm form, Instant now) {
        return dao.update(id, version, form.username(), CaseFold.fold(form.username()), form.email(), CaseFold.fold(form.email()), now);
    }

    @Override
    protected int delete(UserDao dao, long id, long version) {
        return dao.delete(id, version);
    }

    @Override
    protected long count(UserDao dao, String q) {
        if (q.isEmpty()) {
            return dao.count();
        }
        return searched(q, dao::countIndexed, dao::countMatching);
    }

    @Override
    protected Stream<User> rows(UserDao dao, String q, String column, String order, long limit, long offset) {
        if (q.isEmpty()) {
            return dao.list(column, order, limit, offset);
        }
        return searched(q, phrase -> dao.searchIndexed(phrase, column, order, limit, offset),
                pattern -> dao.search(pattern, column, order, limit, offset));
    }

    @Override
    protected Map<String, FieldErrors> duplicateMessages() {
        return Map.of(
                "username_key", FieldErrors.of("username", "Username is already taken"),
                "email_key", FieldErrors.of("email", "Email is already registered"));
    }
}
