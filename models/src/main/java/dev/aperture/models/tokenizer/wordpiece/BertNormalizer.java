package dev.aperture.models.tokenizer.wordpiece;

import dev.aperture.models.tokenizer.json.TextNormalizer;

import java.text.Normalizer;

/**
 * Hugging Face's {@code BertNormalizer}, a normalizer only WordPiece tokenizers run, step for step in the order the
 * Rust {@code tokenizers} library applies them:
 * <ol>
 *   <li>clean text: drop NUL, U+FFFD and "other" characters (Cc, Cf, Co, Cs) except tab/newline/CR, which
 *       become spaces like every other whitespace character;</li>
 *   <li>CJK spacing: put spaces around every CJK Unified Ideograph, so each becomes its own word;</li>
 *   <li>strip accents: NFD, then drop non-spacing marks (Mn) — also decomposes Hangul syllables into jamo;</li>
 *   <li>lowercase, per code point (no context-dependent rules such as the Greek final sigma).</li>
 * </ol>
 *
 * @param cleanText          step 1
 * @param handleChineseChars step 2
 * @param stripAccents       step 3 (Hugging Face: {@code strip_accents}, which follows {@code lowercase} when null)
 * @param lowercase          step 4
 */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase)
        implements TextNormalizer.Step {

    /** The normalized form of {@code text}. */
    @Override
    public String apply(String text) {
        String result = text;
        if (cleanText) {
            result = clean(result);
        }
        if (handleChineseChars) {
            result = spaceChineseChars(result);
        }
        if (stripAccents) {
            result = stripAccents(result);
        }
        if (lowercase) {
            result = lowercase(result);
        }
        return result;
    }

    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == 0 || c == 0xFFFD || isControl(c)) {
                return;
            }
            out.appendCodePoint(isWhitespace(c) ? ' ' : c);
        });
        return out.toString();
    }

    private static String spaceChineseChars(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (isChineseChar(c)) {
                out.append(' ').appendCodePoint(c).append(' ');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String stripAccents(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints()
                .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static String lowercase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == 0x130) {
                // Rust's char::to_lowercase maps İ to "i" + combining dot above; Java's per-char mapping drops the dot.
                out.append("i\u0307");
            } else {
                out.appendCodePoint(Character.toLowerCase(c));
            }
        });
        return out.toString();
    }

    /** Tab, newline and CR count as whitespace, not control, as in BERT's original tokenizer. */
    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    /** Unicode's White_Space property (Rust's {@code char::is_whitespace}): Zs, Zl, Zp, U+0009..U+000D, U+0085. */
    static boolean isWhitespace(int c) {
        return (c >= '\t' && c <= '\r') || c == 0x85 || Character.isSpaceChar(c);
    }

    /** The CJK Unified Ideograph blocks BERT splits per character (not kana, not Hangul). */
    static boolean isChineseChar(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF)
                || (c >= 0x3400 && c <= 0x4DBF)
                || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F)
                || (c >= 0x2B740 && c <= 0x2B81F)
                || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF)
                || (c >= 0x2F800 && c <= 0x2FA1F);
    }
}
