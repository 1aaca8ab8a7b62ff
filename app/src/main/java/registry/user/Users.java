package registry.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import registry.db.CaseFold;
import registry.db.Database;
import registry.db.Timestamps;
import registry.db.UniqueViolation;
import registry.web.FieldErrors;
import registry.web.ListQuery;
import registry.web.Outcome;
import registry.web.Page;

/** The user registry's operations, shared by the pages and the API; input arrives already validated. */
final class Users {
    static final List<String> SORTABLE = List.of("id", "username", "email", "created_at", "updated_at");

    private final Database database;

    Users(Database database) {
        this.database = database;
    }

    /** One page of users: a count and a LIMIT/OFFSET query, both on indexes unless searching. */
    Page<User> list(ListQuery query) {
        String column = UserDao.SORT_COLUMNS.get(query.sort());
        String order = query.descending() ? "DESC" : "ASC";
        return database.read(h -> {
            UserDao dao = h.attach(UserDao.class);
            if (!query.searching()) {
                return new Page<>(dao.list(column, order, query.size(), query.offset()), query, dao.count());
            }
            String pattern = CaseFold.containsPattern(query.q());
            return new Page<>(dao.search(pattern, column, order, query.size(), query.offset()), query, dao.countMatching(pattern));
        });
    }

    Optional<User> find(long id) {
        return database.read(h -> h.attach(UserDao.class).findById(id));
    }

    Outcome<User> create(UserForm form) {
        Instant now = Timestamps.now();
        try {
            long id = database.write(h -> h.attach(UserDao.class).insert(
                    form.username(), CaseFold.fold(form.username()), form.email(), CaseFold.fold(form.email()), now));
            return new Outcome.Done<>(new User(id, form.username(), form.email(), now, now, 1));
        } catch (JdbiException e) {
            return duplicate(e);
        }
    }

    Outcome<User> update(long id, long version, UserForm form) {
        try {
            return database.write(h -> {
                UserDao dao = h.attach(UserDao.class);
                int changed = dao.update(id, version, form.username(), CaseFold.fold(form.username()),
                        form.email(), CaseFold.fold(form.email()), Timestamps.now());
                return changed == 1 ? done(dao.findById(id)) : missingOrStale(h, id);
            });
        } catch (JdbiException e) {
            return duplicate(e);
        }
    }

    /** Deletes the user; without a version, whichever version is current. */
    Outcome<User> delete(long id, Long version) {
        return database.write(h -> {
            UserDao dao = h.attach(UserDao.class);
            Optional<User> current = dao.findById(id);
            if (current.isEmpty()) {
                return new Outcome.NotFound<>();
            }
            long expected = version == null ? current.get().version() : version;
            return dao.delete(id, expected) == 1 ? new Outcome.Done<>(current.get()) : new Outcome.Stale<>(current.get());
        });
    }

    private static Outcome<User> done(Optional<User> user) {
        return new Outcome.Done<>(user.orElseThrow());
    }

    private static Outcome<User> missingOrStale(Handle h, long id) {
        return h.attach(UserDao.class).findById(id)
                .<Outcome<User>>map(Outcome.Stale::new)
                .orElseGet(Outcome.NotFound::new);
    }

    /** A unique-index violation as the field message it means; anything else is not ours to explain. */
    private static Outcome<User> duplicate(JdbiException e) {
        String column = UniqueViolation.column(e).orElseThrow(() -> e);
        FieldErrors errors = switch (column) {
            case "username_key" -> FieldErrors.of("username", "Username is already taken");
            case "email_key" -> FieldErrors.of("email", "Email is already registered");
            default -> throw e;
        };
        return new Outcome.Invalid<>(errors, true);
    }
}
