/**
 * The one reader of tokenizer.json, shared by every tokenizer family; internal (not exported).
 * {@link dev.aperture.models.tokenizer.json.TokenizerJsonReader} reads the sections all families have in common
 * (added tokens, normalizer, pre-tokenizer, post-processor, decoder, truncation, padding) and hands the "model"
 * section, and the component types only one family runs, to that family's
 * {@link dev.aperture.models.tokenizer.json.TokenizerFamily}; the result is a
 * {@link dev.aperture.models.tokenizer.json.TokenizerPipeline}. The shared stages before the model run in
 * {@link dev.aperture.models.tokenizer.json.PieceSplitter}: {@code AddedTokenMatcher},
 * {@link dev.aperture.models.tokenizer.json.TextNormalizer}, {@link dev.aperture.models.tokenizer.json.PreTokenizer}
 * with its {@link dev.aperture.models.tokenizer.json.SplitRule}s and the ByteLevel step; every regex a file chooses
 * runs as a {@link dev.aperture.models.tokenizer.json.BoundedPattern} under its read budget. Its public types are
 * public for the family sub-packages only.
 */
package dev.aperture.models.tokenizer.json;
