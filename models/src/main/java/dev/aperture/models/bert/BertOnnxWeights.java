package dev.aperture.models.bert;

import dev.aperture.core.FormatException;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.bert.onnx.OnnxModel;
import dev.aperture.models.bert.onnx.OnnxNode;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of a BERT ONNX export (PyTorch exporter, as in Xenova's / sentence-transformers' exports) under
 * their Hugging Face names, so the encoder loads them exactly as it loads a safetensors checkpoint.
 *
 * <p>Biases, LayerNorm and embedding tables keep their PyTorch names as initializers. The linear weights do not:
 * the exporter stores them anonymously ({@code onnx::MatMul_787}) and transposed to {@code [in, out]}. Their
 * module is recovered from the MatMul node that consumes them: node {@code /encoder/layer.3/attention/self/value/MatMul}
 * means parameter {@code encoder.layer.3.attention.self.value.weight} (strip "/", drop "/MatMul", "/" becomes ".").
 * Each is transposed once, here, to PyTorch's {@code [out, in]}, the layout {@code Backend.prepareLinear} takes.
 */
final class BertOnnxWeights implements TensorSource {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final OnnxModel model;
    private final Map<String, TensorView> tensors;

    private BertOnnxWeights(OnnxModel model, Map<String, TensorView> tensors) {
        this.model = model;
        this.tensors = tensors;
    }

    /** Maps the initializers of {@code model}; closing the result closes the model. */
    static BertOnnxWeights of(OnnxModel model) {
        Map<String, TensorView> tensors = new LinkedHashMap<>();
        for (String name : model.names()) {
            if (!name.startsWith("onnx::")) {
                tensors.put(stripPrefix(name), model.tensor(name));
            }
        }
        for (OnnxNode node : model.nodes()) {
            if (node.opType().equals("MatMul") && node.inputs().size() == 2 && model.contains(node.inputs().get(1))) {
                String parameter = parameterName(node.name());
                tensors.put(parameter, transposed(parameter, model.tensor(node.inputs().get(1)), model));
            }
        }
        return new BertOnnxWeights(model, Collections.unmodifiableMap(tensors));
    }

    /**
     * The attention head count, read from the graph: the scores are divided by the constant sqrt(headDim) in the
     * first layer's {@code attention/self/Div} node, so heads = hidden / round(constant²).
     *
     * @throws FormatException when the graph has no such constant
     */
    int inferNumAttentionHeads(int hiddenSize) {
        for (OnnxNode node : model.nodes()) {
            if (node.opType().equals("Div") && node.name().startsWith("/encoder/layer.0/attention/self/")
                    && node.inputs().size() == 2) {
                OnnxNode divisor = model.producerOf(node.inputs().get(1));
                if (divisor != null && !Float.isNaN(divisor.constant())) {
                    int headDim = Math.round(divisor.constant() * divisor.constant());
                    if (headDim > 0 && hiddenSize % headDim == 0) {
                        return hiddenSize / headDim;
                    }
                }
            }
        }
        throw new FormatException("ONNX file " + model.file() + ": cannot infer the attention head count (no "
                + "constant divisor in /encoder/layer.0/attention/self/Div); put a config.json beside it");
    }

    /** {@code /encoder/layer.3/attention/self/value/MatMul} -> {@code encoder.layer.3.attention.self.value.weight}. */
    static String parameterName(String nodeName) {
        String path = nodeName.startsWith("/") ? nodeName.substring(1) : nodeName;
        if (path.endsWith("/MatMul")) {
            path = path.substring(0, path.length() - "/MatMul".length());
        }
        return stripPrefix(path.replace('/', '.') + ".weight");
    }

    private static String stripPrefix(String name) {
        return name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    }

    private static TensorView transposed(String parameter, TensorView stored, OnnxModel model) {
        if (stored.rank() != 2 || stored.dtype() != DType.F32) {
            throw new FormatException("ONNX file " + model.file() + ": MatMul weight '" + stored.name() + "' for "
                    + parameter + " is " + stored.dtype() + " " + Arrays.toString(stored.shape())
                    + "; expected a float32 matrix");
        }
        if (stored.elementCount() > Integer.MAX_VALUE / 4) {
            throw new FormatException("ONNX file " + model.file() + ": MatMul weight '" + stored.name() + "' for "
                    + parameter + " has " + stored.elementCount() + " elements, too many to transpose in memory");
        }
        int in = (int) stored.dim(0);
        int out = (int) stored.dim(1);
        MemorySegment source = stored.data();
        MemorySegment target = MemorySegment.ofArray(new byte[in * out * 4]);
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                target.set(F32_LE, 4L * ((long) o * in + i), source.get(F32_LE, 4L * ((long) i * out + o)));
            }
        }
        return new TensorView(parameter, DType.F32, new long[] {out, in}, target);
    }

    /** The ONNX file this came from. */
    OnnxModel model() {
        return model;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }


    /**
     * The BERT parameter with this Hugging Face name (no {@code "bert."} prefix).
     *
     * @throws FormatException when the ONNX file has no initializer for it
     */
    @Override
    public TensorView tensor(String name) {
        TensorView view = tensors.get(name);
        if (view == null) {
            throw new FormatException("ONNX file " + model.file() + " has no initializer for BERT parameter '"
                    + name + "'");
        }
        return view;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {
        model.close();
    }
}
