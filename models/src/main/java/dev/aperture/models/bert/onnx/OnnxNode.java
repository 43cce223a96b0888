package dev.aperture.models.bert.onnx;

import java.util.List;

/**
 * One operator of an ONNX graph ({@code NodeProto}): enough to trace which initializer feeds which operation.
 *
 * @param name     the node name, e.g. {@code /encoder/layer.0/attention/self/query/MatMul}
 * @param opType   the operator, e.g. {@code MatMul}
 * @param inputs   names of the values it consumes (initializers or other nodes' outputs)
 * @param outputs  names of the values it produces
 * @param constant for a {@code Constant} node, the scalar float its {@code value} attribute holds; else NaN
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs, float constant) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
