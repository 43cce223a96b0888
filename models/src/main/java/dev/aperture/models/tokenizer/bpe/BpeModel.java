package dev.aperture.models.tokenizer.bpe;

import dev.aperture.core.InputException;
import dev.aperture.models.tokenizer.merge.BpeMerge;
import dev.aperture.models.tokenizer.merge.PairMergeTable;

import java.util.Arrays;
import java.util.Map;

/**
 * Byte-level BPE over one word, reproducing the Hugging Face {@code tokenizers} BPE model (no dropout).
 *
 * <p>A word starts as one symbol per UTF-8 byte (its byte-level character; the first symbol gets no continuing
 * prefix, the last gets the end-of-word suffix, CLIP's "&lt;/w&gt;"). Then the
 * shared {@link BpeMerge} loop merges them by rank, exactly like the Rust {@code Word::merge_all}.
 */
final class BpeModel {
    private final Map<String, Integer> vocab;
    private final PairMergeTable merges;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean ignoreMerges;
    private final String continuingPrefix;
    private final String endOfWordSuffix;
    /** Initial symbol id per [first?0:1][last?1:0][byte]; -1 where the vocabulary lacks that symbol. */
    private final int[][][] byteSymbolIds = new int[2][2][256];

    BpeModel(Map<String, Integer> vocab, PairMergeTable merges, int unkId, boolean fuseUnk, boolean ignoreMerges,
             String continuingPrefix, String endOfWordSuffix) {
        this.vocab = vocab;
        this.merges = merges;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        this.ignoreMerges = ignoreMerges;
        this.continuingPrefix = continuingPrefix;
        this.endOfWordSuffix = endOfWordSuffix;
        for (int first = 0; first < 2; first++) {
            for (int last = 0; last < 2; last++) {
                for (int b = 0; b < 256; b++) {
                    String symbol = String.valueOf(ByteLevelAlphabet.charOf(b));
                    Integer id = vocab.get(symbolText(symbol, first == 0, last == 1));
                    byteSymbolIds[first][last][b] = id == null ? -1 : id;
                }
            }
        }
    }

    /** Token text to id, the whole vocabulary. */
    Map<String, Integer> vocab() {
        return vocab;
    }

    private String symbolText(String symbol, boolean first, boolean last) {
        String text = first ? symbol : continuingPrefix + symbol;
        return last ? text + endOfWordSuffix : text;
    }

    /** Token ids of one pre-tokenized word given as its UTF-8 bytes (non-empty). */
    int[] encodeWord(byte[] utf8) {
        if (ignoreMerges) {
            Integer whole = vocab.get(wholeWordText(utf8));
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int[] ids = initialSymbols(utf8);
        return BpeMerge.mergeAll(ids, ids.length, merges);
    }

    private String wholeWordText(byte[] utf8) {
        // Rust looks the bare word up, without the end-of-word suffix.
        StringBuilder text = new StringBuilder(utf8.length);
        for (byte b : utf8) {
            text.append(ByteLevelAlphabet.charOf(b));
        }
        return text.toString();
    }

    /** One symbol per byte; bytes missing from the vocabulary become the unknown token (fused if configured). */
    private int[] initialSymbols(byte[] utf8) {
        int n = utf8.length;
        int[] ids = new int[n];
        int count = 0;
        boolean previousWasUnk = false;
        for (int i = 0; i < n; i++) {
            int id = byteSymbolIds[i == 0 ? 0 : 1][i == n - 1 ? 1 : 0][utf8[i] & 0xFF];
            if (id >= 0) {
                ids[count++] = id;
                previousWasUnk = false;
                continue;
            }
            if (unkId < 0) {
                throw new InputException("BPE cannot encode byte 0x" + Integer.toHexString(utf8[i] & 0xFF)
                        + ": not in the vocabulary and the tokenizer has no unknown token");
            }
            if (!(fuseUnk && previousWasUnk)) {
                ids[count++] = unkId;
            }
            previousWasUnk = true;
        }
        return count == n ? ids : Arrays.copyOf(ids, count);
    }
}
