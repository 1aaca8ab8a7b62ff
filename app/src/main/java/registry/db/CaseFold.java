package registry.db;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Unicode case folding for "ignoring case" (uniqueness keys), and the looser folding a search
 * compares, which ignores accents too. Done in Java, not in SQL, because SQLite's NOCASE and
 * lower() fold only ASCII and each engine folds (and strips accents, where it can) differently;
 * a key computed here means the same on every engine.
 */
public final class CaseFold {
    /** Folded letters whose stroke NFD does not write apart ("Łódź" is found by "lodz"), and their bare letters. */
    private static final String STROKED = "øłđħ";
    private static final String BARE = "oldh";

    private CaseFold() {}

    /**
     * The folded form of {@code text}: NFKC-normalised, then upper- and lower-cased, which gives
     * the full case folding of Java's tables ("Straße" and "STRASSE" fold alike, so do "É" written
     * as one code point or two).
     */
    public static String fold(String text) {
        if (isAscii(text)) {
            return text.toLowerCase(Locale.ROOT); // what the steps below make of ASCII, for a fraction of the work
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC);
        return normalized.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /**
     * The folded form a search compares, on both sides (the stored search columns and the query):
     * {@link #fold}, then without accents, so that "EMILE" finds "Émile" and "ame" finds "Amélie".
     * Only searches use it: uniqueness stays with {@link #fold}, where "Emile" and "Émile" are two
     * names.
     */
    public static String forSearch(String text) {
        if (isAscii(text)) {
            return text.toLowerCase(Locale.ROOT); // no accents, no strokes: ASCII folds to its lower case
        }
        String apart = Normalizer.normalize(fold(text), Normalizer.Form.NFD);
        StringBuilder bare = new StringBuilder(apart.length());
        for (int i = 0; i < apart.length(); i++) {
            char c = apart.charAt(i);
            int stroked = STROKED.indexOf(c);
            if (stroked >= 0) {
                bare.append(BARE.charAt(stroked));
            } else if (!isAccent(c)) {
                bare.append(c);
            }
        }
        // Composed again: what NFD took apart and is not an accent (a Hangul syllable, a voiced kana) is one character again.
        return Normalizer.normalize(bare, Normalizer.Form.NFC);
    }

    /**
     * The combining marks that NFD writes apart from Latin, Greek and Cyrillic letters (the
     * Combining Diacritical Marks blocks): accents, cedillas, umlauts, tildes. Marks of other
     * scripts (Indic vowel signs, the kana voicing mark) are letters' parts there, and stay.
     */
    static boolean isAccent(char c) {
        return c >= 0x0300 && c <= 0x036f || c >= 0x1ab0 && c <= 0x1aff || c >= 0x1dc0 && c <= 0x1dff
                || c >= 0x20d0 && c <= 0x20ff || c >= 0xfe20 && c <= 0xfe2f;
    }

    /**
     * Whether every character is ASCII. NFKC and NFD leave ASCII as it is and no ASCII letter
     * carries an accent, so folding it is lower-casing it. Most names, titles and addresses are
     * ASCII, and the writer folds every create's keys and search columns: the full folding (a
     * normalisation and two case mappings, and for a search two normalisations and a regular
     * expression more) took a twentieth of the writer's CPU in an import, profiled.
     */
    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * An FTS5 phrase matching trigram-indexed search text that contains {@code query}, when the
     * query is long enough for the trigram index (three characters); empty otherwise, and the
     * caller falls back to {@link #containsPattern}. Inside a phrase every character is literal.
     */
    public static java.util.Optional<String> trigramPhrase(String query) {
        String folded = forSearch(query);
        if (folded.codePointCount(0, folded.length()) < 3) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of('"' + folded.replace("\"", "\"\"") + '"');
    }

    /**
     * A LIKE pattern (with {@code ESCAPE '!'}) matching search text that contains {@code query};
     * {@code %} and {@code _} in the query are plain characters. The escape is '!' rather than a
     * backslash because JDBI's SQL parser reads a backslash inside a literal as an escape.
     */
    public static String containsPattern(String query) {
        String folded = forSearch(query);
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
