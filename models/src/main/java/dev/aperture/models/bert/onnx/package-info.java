/**
 * A small, bounds-checked reader of ONNX protobuf files (on the shared {@code protobuf.ProtoReader}) ({@link dev.aperture.models.bert.onnx.OnnxModel}: the
 * initializers as tensors, the graph's nodes), serving BERT's ONNX import alone, which is why it sits under
 * {@code bert}. It knows nothing of BERT; should a second family import ONNX, it belongs beside the other checkpoint
 * readers in core rather than back at the top of this module.
 */
package dev.aperture.models.bert.onnx;
