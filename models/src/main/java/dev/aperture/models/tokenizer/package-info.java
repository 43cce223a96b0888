/**
 * What every tokenizer shares, and the one reader of tokenizer.json.
 * {@link dev.aperture.models.tokenizer.TokenizerJsonReader} reads the sections all families have in common (added
 * tokens, normalizer, pre-tokenizer, post-processor, decoder, truncation, padding) and hands the "model" section, and
 * the component types only one family runs, to that family's {@link dev.aperture.models.tokenizer.TokenizerFamily};
 * the result is a
 * {@link dev.aperture.models.tokenizer.TokenizerPipeline}. The shared stages before the model run in
 * {@link dev.aperture.models.tokenizer.PieceSplitter}: {@code AddedTokenMatcher},
 * {@link dev.aperture.models.tokenizer.TextNormalizer}, {@link dev.aperture.models.tokenizer.PreTokenizer} with its
 * {@link dev.aperture.models.tokenizer.SplitRule}s and the ByteLevel step; every regex a file chooses runs as a
 * {@link dev.aperture.models.tokenizer.BoundedPattern} under its read budget. The families are the sub-packages
 * ({@code bpe} for CLIP, {@code wordpiece} for BERT; SentencePiece goes beside them). Their public types are public
 * for those sub-packages; {@link dev.aperture.models.tokenizer.TokenBatch}, the padded batch every tokenizer makes
 * and every text encoder reads, is the one users see.
 */
package dev.aperture.models.tokenizer;
