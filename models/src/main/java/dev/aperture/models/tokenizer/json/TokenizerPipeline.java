package dev.aperture.models.tokenizer.json;

import java.util.List;

/**
 * Everything a loaded tokenizer definition says, whichever files it came from: the parts of the Hugging Face
 * pipeline in the order they run (added tokens, normalizer, pre-tokenizer, model, post-processor), then the
 * truncation and padding settings.
 *
 * @param addedTokens   tokens split out of the text before normalization (raw) or after it (normalized)
 * @param normalizer    the normalizer steps
 * @param preTokenizer  the pre-tokenizer steps
 * @param model         the model of the tokenizer's family (BPE, WordPiece)
 * @param postProcessor the ids put around each text; null when the file has no post-processor
 * @param maxLength     truncation's max_length (special tokens included), or -1 when the file sets none
 * @param padId         padding's pad_id, or -1 when the file sets none
 * @param <M>           the model's type
 */
public record TokenizerPipeline<M>(List<AddedToken> addedTokens, TextNormalizer normalizer,
                                   PreTokenizer preTokenizer, M model, PostProcessor postProcessor, int maxLength,
                                   int padId) {

    /** Largest token id accepted from a file: ids index arrays, so an absurd id must not allocate gigabytes. */
    public static final int MAX_TOKEN_ID = (1 << 24) - 1;

    public TokenizerPipeline {
        addedTokens = List.copyOf(addedTokens);
    }
}
