package registry.db;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Unicode case folding for "ignoring case": uniqueness keys and search patterns. Done in Java, not
 * in SQL, because SQLite's NOCASE and lower() fold only ASCII and each engine folds differently;
 * a key computed here means the same on every engine.
 */
public final class CaseFold {
    private CaseFold() {}

    /**
     * The folded form of {@code text}: NFKC-normalised, then upper- and lower-cased, which gives
     * the full case folding of Java's tables ("Straße" and "STRASSE" fold alike, so do "É" written
     * as one code point or two).
     */
    public static String fold(String text) {
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC);
        return normalized.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /**
     * An FTS5 phrase matching trigram-indexed folded text that contains {@code query}, when the
     * query is long enough for the trigram index (three characters); empty otherwise, and the
     * caller falls back to {@link #containsPattern}. Inside a phrase every character is literal.
     */
    public static java.util.Optional<String> trigramPhrase(String query) {
        String folded = fold(query);
        if (folded.codePointCount(0, folded.length()) < 3) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of('"' + folded.replace("\"", "\"\"") + '"');
    }

    /**
     * A LIKE pattern (with {@code ESCAPE '!'}) matching folded text that contains {@code query};
     * {@code %} and {@code _} in the query are plain characters. The escape is '!' rather than a
     * backslash because JDBI's SQL parser reads a backslash inside a literal as an escape.
     */
    public static String containsPattern(String query) {
        String folded = fold(query);
        StringBuilder pattern = new StringBuilder(folded.length() + 2).append('%');
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            if (c == '%' || c == '_' || c == '!') {
                pattern.append('!');
            }
            pattern.append(c);
        }
        return pattern.append('%').toString();
    }
}
