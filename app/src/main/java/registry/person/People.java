package registry.person;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import registry.db.CaseFold;
import registry.db.Database;
import registry.record.Field;
import registry.record.Kind;

/**
 * The people of the catalogue, declared (a name unique ignoring case, a year of birth), and what
 * only people have: a filmography, and a pick list for a movie's credit form.
 */
public final class People {
    /**
     * People number in the thousands, not millions: a name search is a LIKE over the folded key,
     * and a scan of one narrow index column stays fast at that size, so there is no trigram table.
     */
    public static final Kind<Person, PersonForm> KIND = Kind.of("people", "person", "People", Person.class, PersonForm.class)
            .field(Field.<Person>text("name", "Name", Person::name)
                    .folded().searched().unique("A person with this name already exists").key().autocomplete("name"))
            .field(Field.<Person>year("born", "Born", Person::born).hint("year, optional"))
            .dependents("credit", "credits", "person_id")
            .build();

    /** How many people a credit form offers at once; past that it asks for a name to search. */
    public static final int PICK_LIMIT = 300;

    private final PersonDao dao;

    public People(Database database) {
        this.dao = database.readDao(PersonDao.class);
    }

    /** A person's credits by role (director, writer…), newest movie first within each. */
    public Map<String, List<PersonDao.Role>> filmography(long id) {
        Map<String, List<PersonDao.Role>> byRole = new LinkedHashMap<>();
        for (PersonDao.Role role : dao.filmography(id)) {
            byRole.computeIfAbsent(role.role(), r -> new ArrayList<>()).add(role);
        }
        return byRole;
    }

    /** People whose name contains {@code q}, by name, at most {@link #PICK_LIMIT} + 1 (to tell there are more). */
    public List<Person> pick(String q) {
        return dao.pick(CaseFold.containsPattern(q), PICK_LIMIT + 1);
    }
}
