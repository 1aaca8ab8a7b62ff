package registry.movie;

import registry.credit.Role;
import registry.record.Field;
import registry.record.Filter;
import registry.record.Kind;

/** The movies of the catalogue, declared: a title (not unique: remakes share one), a year, and the directors from the credits. */
public final class Movies {
    public static final Kind<Movie, MovieForm> KIND = Kind.of("movies", "movie", "Movies", Movie.class, MovieForm.class)
            .field(Field.<Movie>text("title", "Title", Movie::title).folded().searched().key())
            .field(Field.<Movie>year("year", "Year", Movie::year).key())
            // The people credited as director, by name (folded, as lists sort): the primary key of credits,
            // which starts with movie_id, finds a movie's credits; each person is read by id.
            .derived("directors", "Directors", engine -> "SELECT " + engine.joined("p.name", "p.name_key")
                    + " FROM credits c JOIN people p ON p.id = c.person_id WHERE c.movie_id = {id} AND c.role = 'director'")
            .searchTable()
            .dependents("credit", "credits", "movie_id")
            .filter(Filter.atLeast("year_from", "Year from", "year"))
            .filter(Filter.atMost("year_to", "Year to", "year"))
            .filter(Filter.decade("movies", "year"))
            .filter(Filter.having("role", "Role", "movies", "credits", "movie_id", "role", Role.names()))
            .build();

    private Movies() {}
}
