package dev.aperture.models.tokenizer;

import dev.aperture.core.FormatException;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the regular expressions of tokenizer.json (written for Oniguruma, which the Rust library uses) as
 * java.util.regex patterns. With UNICODE_CHARACTER_CLASS, Java's {@code \s} is the Unicode White_Space property,
 * which is the set Oniguruma's {@code \s} matches on UTF-8 text (U+0009..U+000D, U+0085, Zs, Zl, Zp); {@code \p{L}},
 * {@code \p{N}} and leftmost-first alternation mean the same in both engines.
 */
final class OnigurumaPatterns {
    private OnigurumaPatterns() {
    }

    /** Compiles {@code regex}, naming {@code file} and {@code component} when it does not compile. */
    static Pattern compile(String regex, String file, String component) {
        try {
            return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new FormatException(file + ": " + component + " has a regex Java cannot compile: "
                    + e.getMessage(), e);
        }
    }

    /** A pattern matching {@code literal} verbatim. */
    static Pattern literal(String literal) {
        return Pattern.compile(Pattern.quote(literal));
    }
}
