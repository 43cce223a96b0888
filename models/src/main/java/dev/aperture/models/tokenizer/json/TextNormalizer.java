package dev.aperture.models.tokenizer.json;

import java.text.Normalizer;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The normalizer of a tokenizer: an ordered list of steps applied to each text segment between added tokens
 * (CLIP: NFC, then every whitespace run to one space, then lowercase; BERT: its one BertNormalizer step). The steps
 * here are those any family may use; a family's own (BertNormalizer) live in its package.
 */
public final class TextNormalizer {

    /** One normalization step. */
    public interface Step {
        String apply(String text);
    }

    /** Unicode normalization to NFC, NFD, NFKC or NFKD. */
    public record UnicodeForm(Normalizer.Form form) implements Step {
        @Override
        public String apply(String text) {
            return Normalizer.isNormalized(text, form) ? text : Normalizer.normalize(text, form);
        }
    }

    /** Replaces every match of a pattern (regex or literal) by fixed content. */
    public record Replace(BoundedPattern pattern, String content) implements Step {
        @Override
        public String apply(String text) {
            Matcher matcher = pattern.matcher(text);
            return matcher.find() ? matcher.replaceAll(Matcher.quoteReplacement(content)) : text;
        }
    }

    /**
     * Lowercases code point by code point, like Rust's {@code char::to_lowercase} that the library maps over the
     * text: no context rules (a final capital sigma becomes σ, not ς), and the one unconditional multi-character
     * mapping, U+0130 → "i̇".
     */
    public record Lowercase() implements Step {
        @Override
        public String apply(String text) {
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                    break;
                }
                i++;
            }
            if (i == text.length()) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, i);
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                if (cp == 0x130) {
                    out.append("i\u0307");
                } else {
                    out.appendCodePoint(Character.toLowerCase(cp));
                }
                i += Character.charCount(cp);
            }
            return out.toString();
        }
    }

    private final List<Step> steps;

    public TextNormalizer(List<? extends Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The normalized form of {@code text}. */
    public String apply(String text) {
        String result = text;
        for (Step step : steps) {
            result = step.apply(result);
        }
        return result;
    }
}
