package registry.movie;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import registry.db.CaseFold;
import registry.db.Database;
import registry.record.FieldErrors;
import registry.record.FormBinding;
import registry.record.Records;

/** The movies of the catalogue. */
public final class Movies extends Records<Movie, MovieForm, MovieDao> {

    public Movies(Database database) {
        super(database, Movie.class, MovieDao.class, "movies", "movie", "Movies", "title",
                List.of("id", "title", "year", "created_at", "updated_at"), MovieDao.SORT_COLUMNS,
                new FormBinding<>(MovieForm.EMPTY, MovieForm::from, MovieForm::from, MovieForm::of));
    }

    @Override
    public String label(Movie movie) {
        return movie.title();
    }

    @Override
    protected Optional<Movie> find(MovieDao dao, long id) {
        return dao.findById(id);
    }

    @Override
    protected long insert(MovieDao dao, MovieForm form, Instant now) {
        return dao.insert(form.title(), CaseFold.fold(form.title()), form.yearNumber(), now);
    }

    @Override
    protected Movie stored(long id, MovieForm form, Instant now) {
        return new Movie(id, form.title(), form.yearNumber(), now, now, 1);
    }

    @Override
    protected int update(MovieDao dao, long id, long version, MovieForm form, Instant now) {
        return dao.update(id, version, form.title(), CaseFold.fold(form.title()), form.yearNumber(), now);
    }

    @Override
    protected int delete(MovieDao dao, long id, long version) {
        return dao.delete(id, version);
    }

    @Override
    protected int dependents(MovieDao dao, long id) {
        return dao.credits(id);
    }

    @Override
    public String dependentsNoun() {
        return "credit";
    }

    @Override
    protected long count(MovieDao dao, String q) {
        if (q.isEmpty()) {
            return dao.count();
        }
        return searched(q, dao::countIndexed, dao::countMatching);
    }

    @Override
    protected Stream<Movie> rows(MovieDao dao, String q, String column, String order, long limit, long offset) {
        if (q.isEmpty()) {
            return dao.list(column, order, limit, offset);
        }
        return searched(q, phrase -> dao.searchIndexed(phrase, column, order, limit, offset),
                pattern -> dao.search(pattern, column, order, limit, offset));
    }

    @Override
    protected Map<String, FieldErrors> duplicateMessages() {
        return Map.of();
    }
}
