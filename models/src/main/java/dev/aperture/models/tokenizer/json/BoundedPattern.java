package dev.aperture.models.tokenizer.json;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern from a tokenizer file (a normalizer's Replace, a Split pre-tokenizer), matched under a work budget.
 * Every regex a tokenizer file chooses runs as one of these, whichever family reads it.
 *
 * <p>tokenizer.json patterns are regexes written for Oniguruma, which the Rust library uses. They compile as
 * java.util.regex patterns with UNICODE_CHARACTER_CLASS: Java's {@code \s} is then the Unicode White_Space property,
 * the set Oniguruma's {@code \s} matches on UTF-8 text (U+0009..U+000D, U+0085, Zs, Zl, Zp); {@code \p{L}},
 * {@code \p{N}} and leftmost-first alternation mean the same in both engines.
 *
 * <p>Because the file chooses the regex, a hostile file can choose one that backtracks catastrophically. Java's
 * memoization tames {@code (a+)+$}, but {@code \s*\s*\s*\s*x} takes about n^5/120 steps on n spaces (300 spaces:
 * 100 s) and {@code (a+)+\1b} 2^n steps on n letters a. Java's engine reads its input only through
 * {@link CharSequence#charAt}, so counting those reads bounds the work. A text may cost at most
 * {@link #BASE_READS} + {@link #READS_PER_CHAR} × its length reads across all matches on it (the CLIP and GPT-2
 * patterns need 1 to 11 per character on prose, CJK text, digits and long runs of spaces); beyond that, matching
 * stops with a {@link ResourceLimitException} naming the pattern instead of holding the calling thread for hours.
 *
 * @param pattern the compiled pattern
 * @param origin  where it was read, e.g. {@code "tokenizer.json: pre_tokenizer.pretokenizers[0]"}
 */
public record BoundedPattern(Pattern pattern, String origin) {
    /** Character reads any text may cost, however short. */
    static final long BASE_READS = 1_000_000;
    /** Further character reads per character of text. */
    static final long READS_PER_CHAR = 1_000;

    /** Compiles an Oniguruma {@code regex}; one Java cannot compile is a {@link FormatException} naming origin. */
    public static BoundedPattern regex(String regex, String origin) {
        try {
            return new BoundedPattern(Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS), origin);
        } catch (PatternSyntaxException e) {
            throw new FormatException(origin + " has a regex Java cannot compile: " + e.getMessage(), e);
        }
    }

    /** A pattern matching {@code literal} verbatim. */
    public static BoundedPattern literal(String literal, String origin) {
        return new BoundedPattern(Pattern.compile(Pattern.quote(literal)), origin);
    }

    /** A matcher over {@code text} that throws {@link ResourceLimitException} once the text's budget is spent. */
    public Matcher matcher(String text) {
        return pattern.matcher(new CountedText(text, BASE_READS + READS_PER_CHAR * text.length(), this));
    }

    /** A text whose character reads are counted against a budget. */
    private static final class CountedText implements CharSequence {
        private final String text;
        private final BoundedPattern reader;
        private final long budget;
        private long readsLeft;

        CountedText(String text, long budget, BoundedPattern reader) {
            this.text = text;
            this.reader = reader;
            this.budget = budget;
            this.readsLeft = budget;
        }

        @Override
        public char charAt(int index) {
            if (--readsLeft < 0) {
                throw new ResourceLimitException(reader.origin + ": the regex " + abbreviated(reader.pattern.pattern())
                        + " needed more than " + budget
                        + " character reads on a text of " + text.length() + " characters (catastrophic"
                        + " backtracking); refusing to go on");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }

        private static String abbreviated(String regex) {
            return regex.length() <= 80 ? "/" + regex + "/" : "/" + regex.substring(0, 77) + ".../";
        }
    }
}
