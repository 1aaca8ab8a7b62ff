package registry.movie;

import registry.record.Field;
import registry.record.Kind;

/** The movies of the catalogue, declared: a title (not unique: remakes share one) and a year. */
public final class Movies {
    public static final Kind<Movie, MovieForm> KIND = Kind.of("movies", "movie", "Movies", Movie.class, MovieForm.class)
            .field(Field.<Movie>text("title", "Title", Movie::title).folded().searched().key())
            .field(Field.<Movie>year("year", "Year", Movie::year).key())
            .searchTable()
            .dependents("credit", "credits", "movie_id")
            .build();

    private Movies() {}
}
