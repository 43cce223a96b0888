/**
 * CLIP's byte-level BPE tokenizer, reproducing the Hugging Face fast tokenizer exactly.
 *
 * <p>{@link dev.aperture.models.tokenizer.ClipTokenizer} is the entry point; the package-private classes are the
 * pipeline stages in the order they run: {@code AddedTokenMatcher} (special tokens split out of the text),
 * {@code TextNormalizer}, {@code PreTokenizer} with its {@code SplitRule}s and the ByteLevel step,
 * {@code BpeModel} (with {@code PairMergeTable} and {@code WordCache}), then the post-processor's BOS/EOS.
 * {@code TokenizerJsonReader} and {@code VocabMergesReader} build that pipeline from the two file layouts.
 * {@link dev.aperture.models.tokenizer.TokenBatch} is the padded batch every tokenizer's {@code encodeBatch} makes
 * (this one's and BERT's WordPiece) and every text encoder reads.
 */
package dev.aperture.models.tokenizer;
