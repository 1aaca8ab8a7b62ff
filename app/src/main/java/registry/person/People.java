package registry.person;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import registry.db.CaseFold;
import registry.db.Database;
import registry.credit.Role;
import registry.record.Field;
import registry.record.Filter;
import registry.record.Kind;

/**
 * The people of the catalogue, declared (a name unique ignoring case, a year of birth), and what
 * only people have: a filmography (their credits), and a pick list for a movie's credit form.
 */
public final class People {
    /**
     * People number in the thousands, not millions: a name search is a LIKE over the search column,
     * and a scan of the table stays fast at that size, so there is no trigram table (nor index).
     */
    public static final Kind<Person, PersonForm> KIND = Kind.of("people", "person", "People", Person.class, PersonForm.class)
            .field(Field.<Person>text("name", "Name", Person::name)
                    .folded().searched().unique("A person with this name already exists").key().autocomplete("name"))
            .field(Field.<Person>year("born", "Born", Person::born).hint("year, optional"))
            .dependents("credit", "credits", "person_id")
            .filter(Filter.atLeast("born_from", "Born from", "born"))
            .filter(Filter.atMost("born_to", "Born to", "born"))
            .filter(Filter.decade("people", "born"))
            .filter(Filter.having("role", "Role", "people", "credits", "person_id", "role", Role.names()))
            .build();

    /** How many people a credit form offers at once; past that it asks for a name to search. */
    public static final int PICK_LIMIT = 300;

    private final Database database;
    private final PersonDao dao;

    public People(Database database) {
        this.database = database;
        this.dao = database.readDao(PersonDao.class);
    }

    /** A credit as a person's filmography lists it: the movie, and the role the person had on it. */
    public record Credit(long movieId, String movieTitle, Integer movieYear, String role) {}

    /** A person's credits, newest movie first (SPEC: {@code GET /api/people/{id}/credits}); empty when there is no such person. */
    public Optional<List<Credit>> credits(long id) {
        return database.read(h -> dao.people(id) == 0 ? Optional.empty() : Optional.of(dao.credits(id)));
    }

    /** A person's credits by role, the roles in alphabetical order, newest movie first within each: the person's page. */
    public Map<String, List<Credit>> filmography(long id) {
        Map<String, List<Credit>> byRole = new TreeMap<>();
        for (Credit credit : dao.credits(id)) {
            byRole.computeIfAbsent(credit.role(), r -> new ArrayList<>()).add(credit);
        }
        return byRole;
    }

    /** People whose name contains {@code q}, by name, at most {@link #PICK_LIMIT} + 1 (to tell there are more). */
    public List<Person> pick(String q) {
        return dao.pick(CaseFold.containsPattern(q), PICK_LIMIT + 1);
    }
}
