package dev.aperture.models.tokenizer.wordpiece;

import dev.aperture.models.tokenizer.json.PreTokenizer;

import java.util.function.Consumer;

/**
 * Hugging Face's {@code BertPreTokenizer}, a pre-tokenizer only WordPiece tokenizers run: splits normalized text
 * into words at whitespace and isolates every punctuation character as a word of its own. Punctuation means ASCII
 * punctuation (which includes symbols such as {@code $ + < = > ^ ` | ~}) or any Unicode P* category; emoji and other
 * symbols are not punctuation.
 */
record BertPreTokenizer() implements PreTokenizer.Step {

    /** Hands the words of {@code text} to {@code out}, in order. */
    @Override
    public void split(String text, Consumer<String> out) {
        StringBuilder word = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (BertNormalizer.isWhitespace(c)) {
                flush(word, out);
            } else if (isPunctuation(c)) {
                flush(word, out);
                out.accept(Character.toString(c));
            } else {
                word.appendCodePoint(c);
            }
        });
        flush(word, out);
    }

    private static void flush(StringBuilder word, Consumer<String> out) {
        if (!word.isEmpty()) {
            out.accept(word.toString());
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
