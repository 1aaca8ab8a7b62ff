package registry.user;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        if (q.isEmpty()) {
            return dao.count();
        }
        return CaseFold.trigramPhrase(q).map(dao::countIndexed).orElseGet(() -> dao.countMatching(CaseFold.containsPattern(q)));
    }

    @Override
    protected Stream<User> rows(UserDao dao, String q, String sort, boolean descending, long limit, long offset) {
        String column = UserDao.SORT_COLUMNS.get(sort);
        String order = descending ? "DESC" : "ASC";
        if (q.isEmpty()) {
            return dao.list(column, order, limit, offset);
        }
        return CaseFold.trigramPhrase(q).map(phrase -> dao.searchIndexed(phrase, column, order, limit, offset))
                .orElseGet(() -> dao.search(CaseFold.containsPattern(q), column, order, limit, offset));
    }

    @Override
    protected Map<String, FieldErrors> duplicateMessages() {
        return Map.of(
                "username_key", FieldErrors.of("username", "Username is already taken"),
                "email_key", FieldErrors.of("email", "Email is already registered"));
    }
}
