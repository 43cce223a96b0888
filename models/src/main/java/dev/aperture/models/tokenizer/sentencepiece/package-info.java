/**
 * SigLIP's tokenizers: {@link dev.aperture.models.tokenizer.sentencepiece.SiglipTokenizer} reproduces transformers'
 * SiglipTokenizer over spiece.model and Siglip2Tokenizer over a Gemma-style tokenizer.json exactly. The
 * SentencePiece side is {@code SentencePieceModel} (the protobuf file, read with the shared {@code protobuf}
 * reader), {@code SentencePieceNormalizer} (with the {@code PrecompiledCharsMap}), the {@code UnigramSegmenter}
 * (Viterbi, over a {@code PieceTrie}) and the {@code BpeSegmenter} (the shared merge loop, rules ranked by score),
 * put together by {@code SentencePieceEncoder}; {@code SpieceEncoding} adds SiglipTokenizer's canonicalization and
 * "&lt;/s&gt;". The tokenizer.json side is the {@code GemmaBpeFamily} of the shared reader, whose model is
 * {@code ByteFallbackBpe}, run by {@code GemmaJsonEncoding}.
 */
package dev.aperture.models.tokenizer.sentencepiece;
