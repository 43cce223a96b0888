/**
 * Tokenizers: one per family in a sub-package ({@code bpe}, CLIP's byte-level BPE; {@code wordpiece}, BERT's
 * WordPiece; {@code sentencepiece}, SigLIP's spiece.model and SigLIP 2's Gemma-style BPE), whatever comes from
 * tokenizer.json read by the one reader in {@code tokenizer.json}, every BPE merging with the one loop in
 * {@code tokenizer.merge}. This package holds what users see of all of them:
 * {@link dev.aperture.models.tokenizer.TokenBatch}, the padded batch every tokenizer makes and every text encoder
 * reads.
 */
package dev.aperture.models.tokenizer;
