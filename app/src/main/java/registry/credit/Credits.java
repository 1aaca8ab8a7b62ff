package registry.credit;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import registry.db.Database;
import registry.db.UniqueViolation;
import registry.record.FieldErrors;
import registry.record.Outcome;

/** Adding, listing and removing a movie's credits, for the movie's page and the API. */
final class Credits {
    private final Database database;
    private final CreditDao reads;
    private final CreditDao writes;

    Credits(Database database) {
        this.database = database;
        this.reads = database.readDao(CreditDao.class);
        this.writes = database.writeDao(CreditDao.class);
    }

    /** The movie's credits; empty when there is no such movie. */
    Optional<List<Credit>> of(long movieId) {
        return database.read(h -> reads.movies(movieId) == 0 ? Optional.empty() : Optional.of(reads.forMovie(movieId)));
    }

    /** Adds a validated credit: NotFound for an unknown movie, Invalid for an unknown person or a duplicate. */
    Outcome<Credit> add(long movieId, CreditForm form) {
        try {
            return database.write(h -> {
                CreditDao dao = writes;
                if (dao.movies(movieId) == 0) {
                    return new Outcome.NotFound<>();
                }
                Optional<String> name = dao.personName(form.person());
                if (name.isEmpty()) {
                    return new Outcome.Invalid<>(FieldErrors.of("person_id", "No person with id " + form.person()), false);
                }
                dao.insert(movieId, form.person(), form.role());
                return new Outcome.Done<>(new Credit(form.person(), name.get(), form.role()));
            });
        } catch (JdbiException e) {
            // The primary key is the rule "a person holds a role on a movie at most once".
            UniqueViolation.column(e).orElseThrow(() -> e);
            return new Outcome.Invalid<>(FieldErrors.of("role", "This person already has this role on this movie"), true);
        }
    }

    /** Removes a credit; false when there was none. */
    boolean remove(long movieId, long personId, String role) {
        return writes.delete(movieId, personId, role) == 1;
    }
}
