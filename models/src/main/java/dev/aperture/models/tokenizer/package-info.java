/**
 * Tokenizers: one per family in a sub-package ({@code bpe}, CLIP's byte-level BPE; {@code wordpiece}, BERT's
 * WordPiece; SentencePiece goes beside them), all read from tokenizer.json by the one reader in
 * {@code tokenizer.json}. This package holds what users see of all of them:
 * {@link dev.aperture.models.tokenizer.TokenBatch}, the padded batch every tokenizer makes and every text encoder
 * reads.
 */
package dev.aperture.models.tokenizer;
