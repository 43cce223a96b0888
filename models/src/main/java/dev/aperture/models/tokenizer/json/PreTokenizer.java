package dev.aperture.models.tokenizer.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * The pre-tokenizer: zero or more steps that cut text into pieces (CLIP: a {@link SplitRule} with its word regex,
 * giving words, single digits, punctuation runs, contractions; BERT: BertPreTokenizer's words and punctuation),
 * then, for byte-level models only, the {@link ByteLevel} step, which cuts each piece with GPT-2's regex into words
 * and hands each word's UTF-8 bytes to the model. The ByteLevel stage depends on the piece alone, which is why the
 * CLIP tokenizer caches its results per piece.
 */
public final class PreTokenizer {

    /** One step that cuts text into pieces. */
    public interface Step {
        /** Hands the non-empty pieces of {@code text} to {@code out}, in order. */
        void split(String text, Consumer<String> out);
    }

    /**
     * The ByteLevel step: UTF-8 bytes of the words of a piece.
     *
     * @param addPrefixSpace ByteLevel's add_prefix_space: a space is prepended to a piece not starting with one
     * @param regex          GPT-2's word regex when ByteLevel's use_regex is true, else null
     */
    public record ByteLevel(boolean addPrefixSpace, BoundedPattern regex) {
        /** GPT-2's word regex, which the ByteLevel step applies when use_regex is true (the library default). */
        private static final String GPT2_REGEX =
                "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

        /** The step as tokenizer.json's options describe it; {@code origin} names it in messages. */
        public static ByteLevel of(boolean addPrefixSpace, boolean useRegex, String origin) {
            return new ByteLevel(addPrefixSpace, useRegex ? BoundedPattern.regex(GPT2_REGEX, origin) : null);
        }

        /** The UTF-8 bytes of each word of {@code piece}, which a byte-level model encodes. */
        public List<byte[]> words(String piece) {
            String text = addPrefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
            List<byte[]> words = new ArrayList<>(2);
            if (regex == null) {
                words.add(text.getBytes(StandardCharsets.UTF_8));
                return words;
            }
            Matcher matcher = regex.matcher(text);
            int previousEnd = 0;
            while (matcher.find()) {
                if (matcher.start() > previousEnd) {
                    words.add(text.substring(previousEnd, matcher.start()).getBytes(StandardCharsets.UTF_8));
                }
                if (matcher.end() > matcher.start()) {
                    words.add(text.substring(matcher.start(), matcher.end()).getBytes(StandardCharsets.UTF_8));
                }
                previousEnd = matcher.end();
            }
            if (previousEnd < text.length()) {
                words.add(text.substring(previousEnd).getBytes(StandardCharsets.UTF_8));
            }
            return words;
        }
    }

    private final List<Step> steps;
    private final ByteLevel byteLevel;

    /**
     * @param steps     the steps that cut text into pieces, in order
     * @param byteLevel the final ByteLevel step, or null for a model that encodes text
     */
    public PreTokenizer(List<? extends Step> steps, ByteLevel byteLevel) {
        this.steps = List.copyOf(steps);
        this.byteLevel = byteLevel;
    }

    /** Hands each piece of normalized text, after every step, to {@code out} (streamed, not collected). */
    public void forEachPiece(String normalized, Consumer<String> out) {
        splitFrom(0, normalized, out);
    }

    private void splitFrom(int stepIndex, String text, Consumer<String> out) {
        if (text.isEmpty()) {
            return;
        }
        if (stepIndex == steps.size()) {
            out.accept(text);
            return;
        }
        steps.get(stepIndex).split(text, piece -> splitFrom(stepIndex + 1, piece, out));
    }

    /** The final ByteLevel step, or null when the pre-tokenizer has none. */
    public ByteLevel byteLevel() {
        return byteLevel;
    }
}
