package dev.aperture.models.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * Everything a loaded tokenizer definition says, whichever files it came from: the parts of the Hugging Face
 * pipeline in the order they run (added tokens, normalizer, pre-tokenizer, BPE model, post-processor).
 *
 * @param addedTokens tokens split out of the text before normalization (raw) or after it (normalized)
 * @param normalizer  the normalizer steps
 * @param preTokenizer Split steps then ByteLevel
 * @param bpe          the BPE model
 * @param vocab        token text -> id of the BPE vocabulary
 * @param prefixIds    ids the post-processor puts before the text (CLIP: BOS)
 * @param suffixIds    ids the post-processor puts after the text (CLIP: EOS)
 * @param padIdHint    pad id named by tokenizer.json's padding section, or -1
 */
record TokenizerPipeline(List<AddedToken> addedTokens, TextNormalizer normalizer, PreTokenizer preTokenizer,
                         BpeModel bpe, Map<String, Integer> vocab, int[] prefixIds, int[] suffixIds, int padIdHint) {

    /** Largest token id accepted from a file: ids index arrays, so an absurd id must not allocate gigabytes. */
    static final int MAX_TOKEN_ID = (1 << 24) - 1;
}
