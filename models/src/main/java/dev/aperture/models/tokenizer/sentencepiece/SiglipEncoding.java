package dev.aperture.models.tokenizer.sentencepiece;

/**
 * One of the two tokenizer definitions a SigLIP folder holds, as {@link SiglipTokenizer} runs it:
 * {@link SpieceEncoding} (spiece.model, transformers' SiglipTokenizer) or {@link GemmaJsonEncoding} (tokenizer.json,
 * Siglip2Tokenizer / GemmaTokenizer). Implementations are immutable and thread-safe.
 */
interface SiglipEncoding {

    /** Ids of {@code text} (no lone surrogates), special tokens included, truncated to {@code maxLength}. */
    int[] encode(String text, int maxLength);

    /** Text of {@code ids} without special tokens, as transformers' decode(skip_special_tokens=True). */
    String decode(int[] ids);

    /** Number of tokens in the vocabulary. */
    int vocabSize();

    /** Id of a token given by its text, or -1 when the vocabulary has no such token. */
    int idOf(String token);
}
