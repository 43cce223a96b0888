package dev.aperture.models.tokenizer.wordpiece;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The WordPiece model, as the Rust {@code tokenizers} library runs it on each word: split greedily into the longest
 * vocabulary pieces, continuation pieces prefixed with {@code ##}; a word longer than {@code max_input_chars_per_word}
 * characters, or with any part that matches no piece, becomes one {@code [UNK]}.
 *
 * @param vocab                token text to id
 * @param unkId                id of the unknown token
 * @param continuingPrefix     prefix of continuation pieces ({@code ##})
 * @param maxInputCharsPerWord longest word, in code points, that is split rather than unknown
 */
record WordPieceModel(Map<String, Integer> vocab, int unkId, String continuingPrefix, int maxInputCharsPerWord) {

    WordPieceModel {
        vocab = Map.copyOf(vocab);
    }

    /** Greedy longest-match-first split of one word; the whole word is [UNK] if any part matches nothing. */
    void encodeWord(String word, IntConsumer out) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            out.accept(unkId);
            return;
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer pieceId = null;
            while (end > start) {
                String piece = word.substring(start, end);
                if (start > 0) {
                    piece = continuingPrefix + piece;
                }
                pieceId = vocab.get(piece);
                if (pieceId != null) {
                    break;
                }
                // Step back one code point, never into the middle of a surrogate pair.
                end -= Character.isLowSurrogate(word.charAt(end - 1)) && end - 2 >= start ? 2 : 1;
            }
            if (pieceId == null) {
                out.accept(unkId);
                return;
            }
            pieces.add(pieceId);
            start = end;
        }
        pieces.forEach(out::accept);
    }
}
