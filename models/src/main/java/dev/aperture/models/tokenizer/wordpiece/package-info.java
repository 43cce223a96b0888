/**
 * WordPiece, BERT's tokenizer: {@link dev.aperture.models.tokenizer.wordpiece.WordPieceTokenizer} reproduces the
 * Hugging Face fast tokenizer exactly, from tokenizer.json through the shared reader as the WordPiece family, which
 * contributes the model ({@code WordPieceModel}) and BERT's own components, {@code BertNormalizer} and
 * {@code BertPreTokenizer}. Used by {@code bert}'s TextEmbedder.
 */
package dev.aperture.models.tokenizer.wordpiece;
