package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** "Ignoring case" as every engine sees it: folded in Java. */
@Tag("sqlite-only")
class CaseFoldTest {
    @Test
    void folding_follows_unicode_not_ascii() {
        assertThat(CaseFold.fold("ÉMILE")).isEqualTo(CaseFold.fold("émile")).isEqualTo("émile");
        assertThat(CaseFold.fold("Straße")).isEqualTo(CaseFold.fold("STRASSE"));
        assertThat(CaseFold.fold("E\u0301mile")).as("É written as two code points").isEqualTo(CaseFold.fold("Émile"));
        assertThat(CaseFold.fold("İstanbul")).isEqualTo(CaseFold.fold("i̇stanbul"));
    }

    @Test
    void a_like_pattern_takes_percent_underscore_and_the_escape_literally() {
        assertThat(CaseFold.containsPattern("100%_Sure!")).isEqualTo("%100!%!_sure!!%");
        assertThat(CaseFold.containsPattern("")).isEqualTo("%%");
    }

    @Test
    void a_trigram_phrase_needs_three_characters_and_quotes_its_quotes() {
        assertThat(CaseFold.trigramPhrase("ab")).isEmpty();
        assertThat(CaseFold.trigramPhrase("🎬🎬")).as("two code points, four chars").isEmpty();
        assertThat(CaseFold.trigramPhrase("Say \"Hi\"")).contains("\"say \"\"hi\"\"\"");
    }
}
