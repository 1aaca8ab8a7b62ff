package registry.credit;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import registry.db.CaseFold;
import registry.imports.Problem;
import registry.imports.Row;
import registry.imports.Run;
import registry.imports.Target;
import registry.record.Forms;
import registry.record.YearRange;

/**
 * CSV rows into credits, with the columns {@code GET /credits.csv} writes: the movie by
 * {@code movie_id} or by {@code movie_title} and {@code movie_year}, the person by
 * {@code person_id} or {@code person_name}, and the {@code role}. A row that names both an id and
 * a name must name the same record twice. An existing credit is unchanged; the role is checked by
 * the credit form's rule.
 */
public final class CreditImport implements Target {
    private static final Set<String> COLUMNS = new LinkedHashSet<>(List.of("movie_id", "movie_title", "movie_year", "person_id",
            "person_name", "role"));

    /** A movie or person as a row names it. */
    private record Named(long id, String name, Integer year) {}

    @Override
    public String kind() {
        return Credits.KIND;
    }

    @Override
    public Set<String> columns() {
        return COLUMNS;
    }

    @Override
    public Set<String> ignored() {
        return Set.of();
    }

    @Override
    public List<String> missing(Set<String> present) {
        List<String> missing = new ArrayList<>();
        if (!present.contains("movie_id") && !present.contains("movie_title")) {
            missing.add("Missing column \"movie_id\" or \"movie_title\": every credit names its movie");
        }
        if (!present.contains("person_id") && !present.contains("person_name")) {
            missing.add("Missing column \"person_id\" or \"person_name\": every credit names its person");
        }
        if (!present.contains("role")) {
            missing.add("Missing column \"role\": every credit needs one");
        }
        return missing;
    }

    @Override
    public Pass<Void> begin(Handle h, Run run) {
        return new Pass<>() {
            @Override
            public Result apply(Row row, Void nothing) throws SQLException {
                return CreditImport.this.apply(h, row, run);
            }

            @Override
            public void close() {}
        };
    }

    private Result apply(Handle h, Row row, Run run) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        Optional<Named> movie = movie(h, row, problems);
        Optional<Named> person = person(h, row, problems);
        String role = row.text("role");
        CreditForm form = new CreditForm(person.map(p -> Long.toString(p.id())).orElse("1"), "", role);
        Forms.validate(form).of("role").forEach(message -> problems.add(new Problem(row.line(), "role", message)));
        if (!problems.isEmpty()) {
            return Result.invalid(problems);
        }
        long movieId = movie.orElseThrow().id();
        long personId = person.orElseThrow().id();
        String key = movieId + "/" + personId + "/" + role;
        OptionalLong earlier = run.claimedBy(key);
        if (earlier.isPresent()) {
            return Result.invalid(List.of(new Problem(row.line(), null, "same as line " + earlier.getAsLong())));
        }
        run.claim(key, row.line());
        if (h.createQuery("SELECT count(*) FROM credits WHERE movie_id = :m AND person_id = :p AND role = :r")
                .bind("m", movieId).bind("p", personId).bind("r", role).mapTo(Integer.class).one() > 0) {
            return Result.UNCHANGED;
        }
        h.createUpdate("INSERT INTO credits (movie_id, person_id, role) VALUES (:m, :p, :r)")
                .bind("m", movieId).bind("p", personId).bind("r", role).execute();
        run.history(row.line(), "create", Credits.KIND, movieId, Credits.label(person.get().name(), role, movie.get().name()),
                Credits.values(movieId, personId, role));
        return Result.CREATED;
    }

    /** The row's movie: by id (the title and year, when given too, must be its own), else by title and year. */
    private static Optional<Named> movie(Handle h, Row row, List<Problem> problems) {
        long id = row.number("movie_id");
        String title = row.text("movie_title");
        String yearText = row.text("movie_year");
        Integer year = null;
        if (!yearText.isEmpty()) {
            int digits = YearRange.Check.digits(yearText);
            if (digits < 0) {
                problems.add(new Problem(row.line(), "movie_year", "movie_year must be a year"));
                return Optional.empty();
            }
            year = digits;
        }
        if (id < 0) {
            problems.add(new Problem(row.line(), "movie_id", "movie_id must be a whole number above 0"));
            return Optional.empty();
        }
        if (id > 0) {
            Optional<Named> movie = named(h.createQuery("SELECT id, title, year FROM movies WHERE id = :id").bind("id", id));
            if (movie.isEmpty()) {
                problems.add(new Problem(row.line(), "movie_id", "No movie with id " + id));
            } else if (!title.isEmpty() && (!CaseFold.fold(title).equals(CaseFold.fold(movie.get().name()))
                    || (year != null && !year.equals(movie.get().year())))) {
                problems.add(new Problem(row.line(), "movie_title", "movie " + id + " is " + shown(movie.get()) + ", not "
                        + shown(new Named(id, title, year))));
                return Optional.empty();
            }
            return movie;
        }
        if (title.isEmpty()) {
            problems.add(new Problem(row.line(), "movie_id", "Name the movie: a movie_id, or a movie_title and movie_year"));
            return Optional.empty();
        }
        Query query = h.createQuery("SELECT id, title, year FROM movies WHERE title_key = :title AND "
                + (year == null ? "year IS NULL" : "year = :year")).bind("title", CaseFold.fold(title));
        if (year != null) {
            query.bind("year", year);
        }
        List<Named> movies = query.map((rs, ctx) -> named(rs)).list();
        if (movies.size() != 1) {
            problems.add(new Problem(row.line(), "movie_title", movies.isEmpty() ? "No movie " + shown(new Named(0, title, year))
                    : movies.size() + " movies are " + shown(new Named(0, title, year)) + ": give the movie_id"));
            return Optional.empty();
        }
        return Optional.of(movies.get(0));
    }

    /** The row's person: by id (the name, when given too, must be theirs), else by name, ignoring case. */
    private static Optional<Named> person(Handle h, Row row, List<Problem> problems) {
        long id = row.number("person_id");
        String name = row.text("person_name");
        if (id < 0) {
            problems.add(new Problem(row.line(), "person_id", "person_id must be a whole number above 0"));
            return Optional.empty();
        }
        if (id > 0) {
            Optional<Named> person = named(h.createQuery("SELECT id, name, NULL FROM people WHERE id = :id").bind("id", id));
            if (person.isEmpty()) {
                problems.add(new Problem(row.line(), "person_id", "No person with id " + id));
            } else if (!name.isEmpty() && !CaseFold.fold(name).equals(CaseFold.fold(person.get().name()))) {
                problems.add(new Problem(row.line(), "person_name", "person " + id + " is \"" + person.get().name() + "\", not \""
                        + name + "\""));
                return Optional.empty();
            }
            return person;
        }
        if (name.isEmpty()) {
            problems.add(new Problem(row.line(), "person_id", "Name the person: a person_id or a person_name"));
            return Optional.empty();
        }
        Optional<Named> person = named(h.createQuery("SELECT id, name, NULL FROM people WHERE name_key = :name")
                .bind("name", CaseFold.fold(name)));
        if (person.isEmpty()) {
            problems.add(new Problem(row.line(), "person_name", "No person named \"" + name + "\""));
        }
        return person;
    }

    private static Optional<Named> named(Query query) {
        return query.map((rs, ctx) -> named(rs)).findOne();
    }

    /** id, name, year: the year read as an int and wasNull, since SQLite's driver refuses a NULL asked for as an Integer object. */
    private static Named named(java.sql.ResultSet rs) throws java.sql.SQLException {
        int year = rs.getInt(3);
        return new Named(rs.getLong(1), rs.getString(2), rs.wasNull() ? null : year);
    }

    private static String shown(Named movie) {
        return "\"" + movie.name() + "\"" + (movie.year() == null ? " (no year)" : " (" + movie.year() + ")");
    }
}
