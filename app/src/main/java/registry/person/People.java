package registry.person;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import registry.db.CaseFold;
import registry.db.Database;
import registry.record.FieldErrors;
import registry.record.FormBinding;
import registry.record.Records;

/** The people of the catalogue. */
public final class People extends Records<Person, PersonForm, PersonDao> {
    /** How many people a credit form offers at once; past that it asks for a name to search. */
    public static final int PICK_LIMIT = 300;

    public People(Database database) {
        super(database, Person.class, PersonDao.class, "people", "person", "People", "name",
                List.of("id", "name", "born", "created_at", "updated_at"), PersonDao.SORT_COLUMNS,
                new FormBinding<>(PersonForm.EMPTY, PersonForm::from, PersonForm::from, PersonForm::of));
    }

    /** A person's credits by role (director, writer…), newest movie first within each. */
    public Map<String, List<PersonDao.Role>> filmography(long id) {
        Map<String, List<PersonDao.Role>> byRole = new LinkedHashMap<>();
        for (PersonDao.Role role : read(dao -> dao.filmography(id))) {
            byRole.computeIfAbsent(role.role(), r -> new java.util.ArrayList<>()).add(role);
        }
        return byRole;
    }

    /** People whose name contains {@code q}, by name, at most {@link #PICK_LIMIT} + 1 (to tell there are more). */
    public List<Person> pick(String q) {
        return read(dao -> dao.pick(CaseFold.containsPattern(q), PICK_LIMIT + 1));
    }

    @Override
    public String label(Person person) {
        return person.name();
    }

    @Override
    protected Optional<Person> find(PersonDao dao, long id) {
        return dao.findById(id);
    }

    @Override
    protected long insert(PersonDao dao, PersonForm form, Instant now) {
        return dao.insert(form.name(), CaseFold.fold(form.name()), form.bornYear(), now);
    }

    @Override
    protected Person stored(long id, PersonForm form, Instant now) {
        return new Person(id, form.name(), form.bornYear(), now, now, 1);
    }

    @Override
    protected int update(PersonDao dao, long id, long version, PersonForm form, Instant now) {
        return dao.update(id, version, form.name(), CaseFold.fold(form.name()), form.bornYear(), now);
    }

    @Override
    protected int delete(PersonDao dao, long id, long version) {
        return dao.delete(id, version);
    }

    @Override
    protected int dependents(PersonDao dao, long id) {
        return dao.credits(id);
    }

    @Override
    public String dependentsNoun() {
        return "credit";
    }

    @Override
    protected long count(PersonDao dao, String q) {
        return q.isEmpty() ? dao.count() : dao.countMatching(CaseFold.containsPattern(q));
    }

    @Override
    protected Stream<Person> rows(PersonDao dao, String q, String column, String order, long limit, long offset) {
        return q.isEmpty() ? dao.list(column, order, limit, offset) : dao.search(CaseFold.containsPattern(q), column, order, limit, offset);
    }

    @Override
    protected Map<String, FieldErrors> duplicateMessages() {
        return Map.of("name_key", FieldErrors.of("name", "A person with this name already exists"));
    }
}
