package registry.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** "Ignoring case", and a search's "ignoring case and accents", as every engine sees them: folded in Java. */
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
    void a_search_folds_accents_as_well_as_case_while_the_unique_key_keeps_them() {
        assertThat(CaseFold.forSearch("Émile Zola")).isEqualTo(CaseFold.forSearch("EMILE ZOLA")).isEqualTo("emile zola");
        assertThat(CaseFold.forSearch("Ame\u0301lie")).as("é written as two code points").isEqualTo("amelie");
        assertThat(CaseFold.forSearch("Ça tourne à Zürich, señor")).isEqualTo("ca tourne a zurich, senor");
        assertThat(CaseFold.forSearch("Łódź, Ørsted, Đorđe, Ħamrun")).isEqualTo("lodz, orsted, dorde, hamrun");
        assertThat(CaseFold.forSearch("Ἀθῆναι")).as("Greek breathings and accents").isEqualTo("αθηναι");
        assertThat(CaseFold.forSearch("İstanbul")).isEqualTo("istanbul");
        assertThat(CaseFold.forSearch("Straße")).isEqualTo("strasse");
        assertThat(CaseFold.fold("Émile")).as("uniqueness tells them apart").isNotEqualTo(CaseFold.fold("Emile"));
    }

    @Test
    void a_search_keeps_the_marks_that_are_parts_of_letters_in_other_scripts() {
        assertThat(CaseFold.forSearch("한국어")).as("Hangul syllables, taken apart by NFD, composed again").isEqualTo("한국어");
        assertThat(CaseFold.forSearch("がっこう")).as("the kana voicing mark").isEqualTo("がっこう");
        assertThat(CaseFold.forSearch("हिंदी")).as("Devanagari vowel signs").isEqualTo("हिंदी");
        for (String text : List.of("Émile", "한국어", "ﬁlm", "Ǆ", "Ǻ", "Å", "ǅ")) {
            assertThat(CaseFold.forSearch(CaseFold.forSearch(text))).as("folding twice is folding once: " + text)
                    .isEqualTo(CaseFold.forSearch(text));
        }
    }

    @Test
    void ascii_folds_as_the_full_unicode_folding_folds_it() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
            String one = String.valueOf(c);
            assertThat(CaseFold.fold(one)).as("fold of U+%04X", (int) c).isEqualTo(unicodeFold(one));
            assertThat(CaseFold.forSearch(one)).as("forSearch of U+%04X", (int) c).isEqualTo(unicodeFold(one));
        }
        assertThat(CaseFold.fold(all.toString())).isEqualTo(unicodeFold(all.toString()));
        assertThat(CaseFold.forSearch("Kelvin IS 273 K")).isEqualTo("kelvin is 273 k");
        assertThat(CaseFold.forSearch("\u212A")).as("the Kelvin sign is no ASCII, and folds to k the long way").isEqualTo("k");
    }

    @Test
    void accents_are_the_combining_diacritical_blocks_only() {
        assertThat(CaseFold.isAccent('\u0301')).isTrue();
        assertThat(CaseFold.isAccent('\u036f')).isTrue();
        assertThat(CaseFold.isAccent('\u1dc0')).isTrue();
        assertThat(CaseFold.isAccent('\u20d0')).isTrue();
        assertThat(CaseFold.isAccent('\ufe2f')).isTrue();
        assertThat(CaseFold.isAccent('\u0370')).as("Greek, past the block").isFalse();
        assertThat(CaseFold.isAccent('\u093f')).as("a Devanagari vowel sign").isFalse();
        assertThat(CaseFold.isAccent('\u3099')).as("the kana voicing mark").isFalse();
        assertThat(CaseFold.forSearch("Crème brûlée à la Ñandú")).isEqualTo("creme brulee a la nandu");
    }

    /** The folding as the Unicode path does it for any text: NFKC, then upper- and lower-cased. */
    private static String unicodeFold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
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

    @Test
    void patterns_and_phrases_compare_text_folded_for_search() {
        assertThat(CaseFold.containsPattern("AMÉ")).isEqualTo("%ame%");
        assertThat(CaseFold.trigramPhrase("ÉMILE")).contains("\"emile\"");
        assertThat(CaseFold.trigramPhrase("e\u0301e\u0301")).as("two letters once their accents are gone").isEmpty();
    }
}
