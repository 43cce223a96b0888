/**
 * Byte-level BPE, CLIP's tokenizer: {@link dev.aperture.models.tokenizer.bpe.ClipTokenizer} reproduces the Hugging
 * Face fast tokenizer exactly, from tokenizer.json (through the shared reader, as the byte-level BPE family) or from
 * vocab.json + merges.txt ({@code VocabMergesReader}, transformers' slow-to-fast conversion), with the special tokens
 * and context length of tokenizer_config.json (the shared {@code tokenizer.json.TokenizerSettings}). The model is {@code BpeModel} (with
 * {@code ByteLevelAlphabet}, and the merge loop and rules every BPE shares, in {@code tokenizer.merge}); results per piece are kept in a
 * {@code WordCache}. Used by {@code clip}, the cli's {@code tokenize} and the tokenizer benchmark.
 */
package dev.aperture.models.tokenizer.bpe;
