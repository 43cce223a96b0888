package dev.aperture.models.bert;

import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face's {@code BertPreTokenizer}: splits normalized text into words at whitespace and isolates every
 * punctuation character as a word of its own. Punctuation means ASCII punctuation (which includes symbols such as
 * {@code $ + < = > ^ ` | ~}) or any Unicode P* category; emoji and other symbols are not punctuation.
 */
public final class BertPreTokenizer {
    private BertPreTokenizer() {
    }

    /** The words of {@code text}, in order. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (BertNormalizer.isWhitespace(c)) {
                flush(word, words);
            } else if (isPunctuation(c)) {
                flush(word, words);
                words.add(Character.toString(c));
            } else {
                word.appendCodePoint(c);
            }
        });
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    static boolean isPunctuation(int c) {
        if (c < 128) {
            return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}
