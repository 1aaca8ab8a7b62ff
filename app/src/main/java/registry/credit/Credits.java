package registry.credit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import registry.db.CaseFold;
import registry.db.Database;
import registry.db.UniqueViolation;
import registry.history.Actor;
import registry.history.History;
import registry.person.People;
import registry.person.Person;
import registry.person.PersonForm;
import registry.record.FieldErrors;
import registry.record.Forms;
import registry.record.Outcome;
import registry.record.Records;

/** Adding, listing and removing a movie's credits, for the movie's page and the API. */
final class Credits {
    private final Database database;
    private final CreditDao reads;
    private final CreditDao writes;
    /** People, for the new person a credit may name. */
    private final Records<Person, PersonForm> people;

    Credits(Database database) {
        this.database = database;
        this.people = new Records<>(database, People.KIND);
        this.reads = database.readDao(CreditDao.class);
        this.writes = database.writeDao(CreditDao.class);
    }

    /** The movie's credits; empty when there is no such movie. */
    Optional<List<Credit>> of(long movieId) {
        return database.read(h -> reads.movies(movieId) == 0 ? Optional.empty() : Optional.of(reads.forMovie(movieId)));
    }

    /** The credit with its movie and person named; empty when there is no such credit. */
    Optional<CreditDao.Named> find(long movieId, long personId, String role) {
        return database.read(h -> reads.named(movieId, personId, role));
    }

    /** A credit as added, and whether its person was made for it (the flash says so). */
    record Added(Credit credit, boolean newPerson) {}

    /**
     * Adds a validated credit: NotFound for an unknown movie; Invalid for an unknown person, a new
     * name the person form refuses, a person picked that the name typed does not name, or a
     * duplicate. A new name makes the person in the same transaction as the credit, each with its
     * history entry, so a credit refused leaves no person behind.
     */
    Outcome<Added> add(long movieId, CreditForm form, Actor actor) {
        try {
            return database.write(h -> {
                Optional<String> title = writes.movieTitle(movieId);
                if (title.isEmpty()) {
                    return new Outcome.NotFound<>();
                }
                Outcome<Added> who = person(h, form, actor);
                if (!(who instanceof Outcome.Done<Added> done)) {
                    return who;
                }
                Credit credit = done.value().credit();
                writes.insert(movieId, credit.personId(), credit.role());
                History.write(h, actor, "create", KIND, movieId, label(credit.personName(), credit.role(), title.get()),
                        values(movieId, credit.personId(), credit.role()));
                return who;
            });
        } catch (JdbiException e) {
            String column = UniqueViolation.column(e).orElseThrow(() -> e);
            // A new person's name taken meanwhile by another request (on the servers, which write side by side).
            Optional<String> taken = People.KIND.uniqueByKeyColumn(column).map(field -> field.duplicateMessage());
            if (taken.isPresent()) {
                return new Outcome.Invalid<>(FieldErrors.of("person_name", taken.get()), true);
            }
            // The primary key is the rule "a person holds a role on a movie at most once".
            return new Outcome.Invalid<>(FieldErrors.of("role", "This person already has this role on this movie"), true);
        }
    }

    /** The credit's person: the one picked, else the one the name names, else a new person of that name made on {@code h}. */
    private Outcome<Added> person(Handle h, CreditForm form, Actor actor) {
        Optional<CreditDao.Who> picked = Optional.empty();
        if (form.picked()) {
            picked = writes.personName(form.person()).map(name -> new CreditDao.Who(form.person(), name));
            if (picked.isEmpty()) {
                return new Outcome.Invalid<>(FieldErrors.of("person_id", "No person with id " + form.person()), false);
            }
        }
        Optional<CreditDao.Who> named = form.named() ? writes.personByKey(CaseFold.fold(form.personName())) : Optional.empty();
        if (picked.isPresent() && form.named() && !named.map(CreditDao.Who::id).equals(picked.map(CreditDao.Who::id))) {
            return new Outcome.Invalid<>(FieldErrors.of("person_name", "The person chosen is " + picked.get().name() + ", not \""
                    + form.personName() + "\": choose a person or type a name, not both"), false);
        }
        Optional<CreditDao.Who> existing = picked.or(() -> named);
        if (existing.isPresent()) {
            return new Outcome.Done<>(new Added(new Credit(existing.get().id(), existing.get().name(), form.role()), false));
        }
        PersonForm person = People.KIND.form(field -> field.name().equals("name") ? form.personName() : "");
        FieldErrors refused = Forms.validate(person);
        if (!refused.isEmpty()) {
            FieldErrors errors = new FieldErrors();
            refused.ordered().values().forEach(messages -> messages.forEach(message -> errors.add("person_name", message)));
            return new Outcome.Invalid<>(errors, false);
        }
        Person created = people.create(h, person, actor);
        return new Outcome.Done<>(new Added(new Credit(created.id(), created.name(), form.role()), true));
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
