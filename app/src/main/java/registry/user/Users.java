package registry.user;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import registry.db.CaseFold;
import registry.db.Database;
import registry.web.FieldErrors;
import registry.web.Json;
import registry.web.Records;

/** The user registry: what the shared pages, API and export need to know about users. */
public final class Users extends Records<User, UserForm, UserDao> {

    public Users(Database database) {
        super(database, UserDao.class, "users", "user", "Users", "username or email",
                List.of("id", "username", "email", "created_at", "updated_at"));
    }

    @Override
    public long id(User user) {
        return user.id();
    }

    @Override
    public long version(User user) {
        return user.version();
    }

    @Override
    public String label(User user) {
        return user.username();
    }

    @Override
    public UserForm emptyForm() {
        return UserForm.EMPTY;
    }

    @Override
    public UserForm form(Context ctx) {
        return UserForm.from(ctx);
    }

    @Override
    public UserForm form(Json json) {
        return UserForm.from(json);
    }

    @Override
    public UserForm form(User user) {
        return UserForm.of(user);
    }

    @Override
    public List<String> csvHeader() {
        return List.of("id", "username", "email", "created_at", "updated_at", "version");
    }

    @Override
    public List<String> csvRow(User u) {
        return List.of(String.valueOf(u.id()), u.username(), u.email(), u.createdAt().toString(), u.updatedAt().toString(),
                String.valueOf(u.version()));
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
    protected int update(UserDao dao, long id, long version, UserForm form, Instant now) {
        return dao.update(id, version, form.username(), CaseFold.fold(form.username()), form.email(), CaseFold.fold(form.email()), now);
    }

    @Override
    protected int delete(UserDao dao, long id, long version) {
        return dao.delete(id, version);
    }

    @Override
    protected long count(UserDao dao, String q) {
        return q.isEmpty() ? dao.count() : dao.countMatching(CaseFold.containsPattern(q));
    }

    @Override
    protected List<User> slice(UserDao dao, String q, String sort, boolean descending, int limit, long offset) {
        try (Stream<User> rows = rows(dao, q, sort, descending, limit, offset)) {
            return rows.toList();
        }
    }

    @Override
    protected void each(UserDao dao, String q, String sort, boolean descending, Consumer<User> sink) {
        try (Stream<User> rows = rows(dao, q, sort, descending, Long.MAX_VALUE, 0)) {
            rows.forEach(sink);
        }
    }

    private static Stream<User> rows(UserDao dao, String q, String sort, boolean descending, long limit, long offset) {
        String column = UserDao.SORT_COLUMNS.get(sort);
        String order = descending ? "DESC" : "ASC";
        return q.isEmpty()
                ? dao.list(column, order, limit, offset)
                : dao.search(CaseFold.containsPattern(q), column, order, limit, offset);
    }

    @Override
    protected Map<String, FieldErrors> duplicateMessages() {
        return Map.of(
                "username_key", FieldErrors.of("username", "Username is already taken"),
                "email_key", FieldErrors.of("email", "Email is already registered"));
    }
}
