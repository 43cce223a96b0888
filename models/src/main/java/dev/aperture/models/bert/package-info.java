/**
 * BERT, and only BERT: {@link dev.aperture.models.bert.TextEmbedder} (sentence embeddings, sentence-transformers'
 * recipe: WordPiece tokens, {@link dev.aperture.models.bert.BertEncoder} on the shared {@code transformer} blocks,
 * mean pooling), its config, the import of BERT weights from an ONNX export ({@code BertOnnxWeights}, reading files
 * with {@code bert.onnx}), the bundled all-MiniLM-L6-v2 ({@link dev.aperture.models.bert.AllMiniLmL6V2}) and
 * {@link dev.aperture.models.bert.ZeroShotTextClassifier}. Its tokenizer is the WordPiece of
 * {@code tokenizer.wordpiece}. Used by users and by the cli's {@code embed} and {@code classify-text} commands.
 */
package dev.aperture.models.bert;
