package registry.record;

/** What every stored record has: an id and an optimistic-lock version. */
public interface Row {
    long id();

    long version();
}
