/**
 * What every BPE shares, internal (not exported): the merge rules as a table
 * ({@link dev.aperture.models.tokenizer.merge.PairMergeTable}, built from text by
 * {@link dev.aperture.models.tokenizer.merge.MergeRules}) and the one merge loop
 * ({@link dev.aperture.models.tokenizer.merge.BpeMerge}). CLIP's byte-level BPE ({@code tokenizer.bpe}), the
 * byte-fallback BPE of Gemma-style tokenizer.json and SentencePiece's BPE ({@code tokenizer.sentencepiece}) differ
 * only in the symbols they start from and in how their rules are ranked.
 */
package dev.aperture.models.tokenizer.merge;
