package registry.credit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.JdbiException;
import registry.db.Database;
import registry.db.UniqueViolation;
import registry.history.Actor;
import registry.history.History;
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
    Outcome<Credit> add(long movieId, CreditForm form, Actor actor) {
        try {
            return database.write(h -> {
                CreditDao dao = writes;
                Optional<String> title = dao.movieTitle(movieId);
                if (title.isEmpty()) {
                    return new Outcome.NotFound<>();
                }
                Optional<String> name = dao.personName(form.person());
                if (name.isEmpty()) {
                    return new Outcome.Invalid<>(FieldErrors.of("person_id", "No person with id " + form.person()), false);
                }
                dao.insert(movieId, form.person(), form.role());
                History.write(h, actor, "create", KIND, movieId, label(name.get(), form.role(), title.get()),
                        values(movieId, form.person(), form.role()));
                return new Outcome.Done<>(new Credit(form.person(), name.get(), form.role()));
            });
        } catch (JdbiException e) {
            // The primary key is the rule "a person holds a role on a movie at most once".
            UniqueViolation.column(e).orElseThrow(() -> e);
            return new Outcome.Invalid<>(FieldErrors.of("role", "This person already has this role on this movie"), true);
        }
    }

    /** Removes a credit; false when there was none. */
    boolean remove(long movieId, long personId, String role, Actor actor) {
        return database.write(h -> {
            Optional<String> name = writes.personName(personId);
            Optional<String> title = writes.movieTitle(movieId);
            if (writes.delete(movieId, personId, role) != 1) {
                return false;
            }
            History.write(h, actor, "delete", KIND, movieId, label(name.orElse("?"), role, title.orElse("?")), values(movieId, personId, role));
            return true;
        });
    }

    /** The columns of {@code GET /credits.csv}, which an import of credits reads back. */
    static final List<String> EXPORT_COLUMNS = List.of("movie_id", "movie_title", "movie_year", "person_id", "person_name", "role");

    /** Every credit, as the rows of {@link #EXPORT_COLUMNS}, handed to {@code sink} as they are read. */
    void export(Consumer<List<String>> sink) {
        database.read(h -> {
            try (Stream<List<String>> rows = h.createQuery("""
                            SELECT c.movie_id, m.title, m.year, c.person_id, p.name, c.role
                            FROM credits c JOIN movies m ON m.id = c.movie_id JOIN people p ON p.id = c.person_id
                            ORDER BY c.movie_id, c.person_id, c.role""")
                    .map((rs, ctx) -> List.of(Long.toString(rs.getLong(1)), rs.getString(2),
                            rs.getObject(3) == null ? "" : Integer.toString(rs.getInt(3)), Long.toString(rs.getLong(4)), rs.getString(5),
                            rs.getString(6)))
                    .stream()) {
                rows.forEach(sink);
            }
            return null;
        });
    }

    /** Credits in the history: kind "credits", the movie's id, "person — role — movie". */
    static final String KIND = "credits";

    static String label(String person, String role, String movie) {
        return person + " — " + role + " — " + movie;
    }

    static Map<String, Object> values(long movieId, long personId, String role) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("movie_id", movieId);
        values.put("person_id", personId);
        values.put("role", role);
        return values;
    }
}
