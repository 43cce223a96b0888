package dev.aperture.models.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * The pre-tokenizer: zero or more {@link SplitRule}s, then the ByteLevel step. Splitting yields "pieces"
 * (CLIP: words, single digits, punctuation runs, contractions); ByteLevel then cuts each piece with GPT-2's regex
 * into words and hands each word's UTF-8 bytes to BPE. The second stage depends on the piece alone, which is why
 * the tokenizer caches BPE results per piece.
 */
final class PreTokenizer {
    /** GPT-2's word regex, which the ByteLevel step applies when use_regex is true (the library default). */
    static final String GPT2_REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private final List<SplitRule> splitRules;
    private final boolean addPrefixSpace;
    private final BoundedPattern byteLevelRegex;

    /**
     * @param splitRules     the Split steps, in order
     * @param addPrefixSpace ByteLevel's add_prefix_space: a space is prepended to a piece not starting with one
     * @param byteLevelRegex GPT-2's regex when ByteLevel's use_regex is true, else null
     */
    PreTokenizer(List<SplitRule> splitRules, boolean addPrefixSpace, BoundedPattern byteLevelRegex) {
        this.splitRules = List.copyOf(splitRules);
        this.addPrefixSpace = addPrefixSpace;
        this.byteLevelRegex = byteLevelRegex;
    }

    /** Hands each piece of normalized text, after every Split step, to {@code out} (streamed, not collected). */
    void forEachPiece(String normalized, Consumer<String> out) {
        splitFrom(0, normalized, out);
    }

    private void splitFrom(int ruleIndex, String text, Consumer<String> out) {
        if (text.isEmpty()) {
            return;
        }
        if (ruleIndex == splitRules.size()) {
            out.accept(text);
            return;
        }
        splitRules.get(ruleIndex).split(text, piece -> splitFrom(ruleIndex + 1, piece, out));
    }

    /** The ByteLevel step on one piece: the UTF-8 bytes of each word BPE will encode. */
    List<byte[]> byteLevelWords(String piece) {
        String text = addPrefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
        List<byte[]> words = new ArrayList<>(2);
        if (byteLevelRegex == null) {
            words.add(text.getBytes(StandardCharsets.UTF_8));
            return words;
        }
        Matcher matcher = byteLevelRegex.matcher(text);
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
