/**
 * The one protobuf wire-format reader ({@link dev.aperture.models.protobuf.ProtoReader}), shared by the ONNX import
 * ({@code bert.onnx}) and the SentencePiece model reader ({@code tokenizer.sentencepiece}); internal (not exported).
 */
package dev.aperture.models.protobuf;
