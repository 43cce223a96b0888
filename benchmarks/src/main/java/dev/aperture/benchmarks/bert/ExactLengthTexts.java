package dev.aperture.benchmarks.bert;

import dev.aperture.benchmarks.TextShape;
import dev.aperture.models.tokenizer.wordpiece.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.List;

/** Benchmark sentences that a WordPiece tokenizer turns into exactly the wanted number of tokens. */
final class ExactLengthTexts {
    // Each of these common words is one word piece, so a text of n of them is n pieces plus [CLS] and [SEP].
    private static final String[] WORDS = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "house",
            "with", "big", "red", "door"};

    private ExactLengthTexts() {
    }

    /** {@code shape.batch()} different texts of {@code shape.tokens()} tokens each, checked against the tokenizer. */
    static List<String> of(TextShape shape, WordPieceTokenizer tokenizer) {
        List<String> texts = new ArrayList<>(shape.batch());
        for (int i = 0; i < shape.batch(); i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < shape.tokens() - 2; w++) {
                text.append(WORDS[(i + w) % WORDS.length]).append(' ');
            }
            texts.add(text.toString());
            int length = tokenizer.encode(texts.getLast()).length;
            if (length != shape.tokens()) {
                throw new IllegalStateException("benchmark text has " + length + " tokens, expected " + shape.tokens());
            }
        }
        return texts;
    }
}
