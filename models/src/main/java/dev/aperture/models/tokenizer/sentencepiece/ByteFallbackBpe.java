package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.models.tokenizer.json.IntList;
import dev.aperture.models.tokenizer.merge.BpeMerge;
import dev.aperture.models.tokenizer.merge.PairMergeTable;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The BPE of Gemma-style tokenizer.json files (SigLIP 2), as the Hugging Face {@code tokenizers} BPE model runs with
 * byte_fallback: a piece starts as one symbol per character; a character missing from the vocabulary becomes the
 * byte tokens {@code <0xNN>} of its UTF-8 when the vocabulary has them all, else the unknown token (one per run when
 * fuse_unk is set). Then the shared {@link BpeMerge} loop merges by rule rank.
 *
 * @param vocab        token text to id
 * @param merges       the merge rules
 * @param unkId        the unknown token's id, or -1 when the model has none
 * @param fuseUnk      a run of unknown characters becomes one unknown token
 * @param byteFallback unknown characters become byte tokens when possible
 * @param ignoreMerges a piece that is a token is taken whole, without merging
 */
record ByteFallbackBpe(Map<String, Integer> vocab, PairMergeTable merges, int unkId, boolean fuseUnk,
                       boolean byteFallback, boolean ignoreMerges) {

    /** Token ids of one pre-tokenized piece (non-empty). */
    int[] encode(String piece) {
        if (ignoreMerges) {
            Integer whole = vocab.get(piece);
            if (whole != null) {
                return new int[] {whole};
            }
        }
        IntList symbols = new IntList();
        boolean previousWasUnknown = false;
        for (int i = 0; i < piece.length(); ) {
            int length = Character.charCount(piece.codePointAt(i));
            String character = piece.substring(i, i + length);
            i += length;
            Integer id = vocab.get(character);
            if (id != null) {
                symbols.add(id);
                previousWasUnknown = false;
            } else if (byteFallback && addBytes(character, symbols)) {
                previousWasUnknown = false;
            } else if (unkId >= 0) {
                if (!(fuseUnk && previousWasUnknown)) {
                    symbols.add(unkId);
                }
                previousWasUnknown = true;
            }
            // Without an unknown token the Rust library drops the character; so does this.
        }
        int[] ids = symbols.toArray();
        return BpeMerge.mergeAll(ids, ids.length, merges);
    }

    /** Appends the byte tokens of {@code character}; false (and nothing appended) when one is missing. */
    private boolean addBytes(String character, IntList symbols) {
        byte[] utf8 = character.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[utf8.length];
        for (int b = 0; b < utf8.length; b++) {
            Integer id = vocab.get(byteToken(utf8[b]));
            if (id == null) {
                return false;
            }
            ids[b] = id;
        }
        symbols.addAll(ids);
        return true;
    }

    /** "<0x0A>": the token of one byte. */
    static String byteToken(byte b) {
        return String.format("<0x%02X>", b & 0xFF);
    }

    /** The byte a byte token stands for, or -1 when {@code token} is not one. */
    static int byteOf(String token) {
        if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) {
            try {
                return Integer.parseInt(token.substring(3, 5), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
