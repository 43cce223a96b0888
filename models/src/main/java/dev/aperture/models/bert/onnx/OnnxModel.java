package dev.aperture.models.bert.onnx;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.protobuf.ProtoReader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights and the operator list of an ONNX model file, read straight from its protobuf bytes. This is not an
 * ONNX runtime: it exposes {@code graph.initializer} (the stored tensors) as {@link TensorView}s and
 * {@code graph.node} as {@link OnnxNode}s, so that a model written in Java can find its parameters in the file.
 *
 * <p>Fields read (numbers from onnx.proto): ModelProto {@code ir_version=1, producer_name=2, graph=7};
 * GraphProto {@code node=1, initializer=5}; NodeProto {@code input=1, output=2, name=3, op_type=4, attribute=5};
 * AttributeProto {@code name=1, t=5}; TensorProto {@code dims=1, data_type=2, float_data=4, name=8, raw_data=9,
 * data_location=14}. Everything else is skipped. The file is memory-mapped and {@code raw_data} tensors are views
 * into the mapping (no copy); close the model to unmap it.
 */
public final class OnnxModel implements TensorSource {
    private static final int GRAPH = 7;
    private static final int PRODUCER_NAME = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;

    private final Path file;
    private final Arena arena;
    private final Map<String, TensorView> initializers;
    private final List<OnnxNode> nodes;
    private final String producer;

    private OnnxModel(Path file, Arena arena, Map<String, TensorView> initializers, List<OnnxNode> nodes,
                      String producer) {
        this.file = file;
        this.arena = arena;
        this.initializers = initializers;
        this.nodes = nodes;
        this.producer = producer;
    }

    /**
     * Maps and parses an {@code .onnx} file.
     *
     * @throws InputException  when the file cannot be read
     * @throws FormatException when its bytes are not a well-formed ONNX model with supported tensor types
     */
    public static OnnxModel open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return parse(file, arena, mapped);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new InputException("ONNX file not found: " + file, e);
        } catch (IOException e) {
            arena.close();
            throw new InputException("Cannot read ONNX file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static OnnxModel parse(Path file, Arena arena, MemorySegment bytes) {
        String source = file.toString();
        ProtoReader model = new ProtoReader(bytes, "ONNX file " + source);
        MemorySegment graph = null;
        String producer = "";
        while (model.hasMore()) {
            int tag = model.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case GRAPH -> graph = requireLengthDelimited(model, tag, "ModelProto.graph").readLengthDelimited();
                case PRODUCER_NAME -> producer = requireLengthDelimited(model, tag, "ModelProto.producer_name").readString();
                default -> model.skip(ProtoReader.wireType(tag));
            }
        }
        if (graph == null) {
            throw new FormatException("ONNX file " + source + " has no graph (is it an ONNX model?)");
        }
        Map<String, TensorView> initializers = new LinkedHashMap<>();
        List<OnnxNode> nodes = new ArrayList<>();
        ProtoReader graphReader = new ProtoReader(graph, "ONNX file " + source);
        while (graphReader.hasMore()) {
            int tag = graphReader.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case GRAPH_NODE -> nodes.add(readNode(requireLengthDelimited(graphReader, tag, "GraphProto.node")
                        .readMessage(), source));
                case GRAPH_INITIALIZER -> {
                    TensorView tensor = OnnxTensorReader.read(
                            requireLengthDelimited(graphReader, tag, "GraphProto.initializer").readMessage(), source);
                    initializers.put(tensor.name(), tensor);
                }
                default -> graphReader.skip(ProtoReader.wireType(tag));
            }
        }
        return new OnnxModel(file, arena, Collections.unmodifiableMap(initializers), List.copyOf(nodes), producer);
    }

    private static OnnxNode readNode(ProtoReader node, String source) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        float constant = Float.NaN;
        while (node.hasMore()) {
            int tag = node.readTag();
            int wireType = ProtoReader.wireType(tag);
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> inputs.add(requireLengthDelimited(node, tag, "NodeProto.input").readString());
                case 2 -> outputs.add(requireLengthDelimited(node, tag, "NodeProto.output").readString());
                case 3 -> name = requireLengthDelimited(node, tag, "NodeProto.name").readString();
                case 4 -> opType = requireLengthDelimited(node, tag, "NodeProto.op_type").readString();
                case 5 -> {
                    float value = OnnxTensorReader.scalarFloatAttribute(
                            requireLengthDelimited(node, tag, "NodeProto.attribute").readMessage());
                    if (!Float.isNaN(value)) {
                        constant = value;
                    }
                }
                default -> node.skip(wireType);
            }
        }
        return new OnnxNode(name, opType, inputs, outputs, "Constant".equals(opType) ? constant : Float.NaN);
    }

    private static ProtoReader requireLengthDelimited(ProtoReader reader, int tag, String field) {
        if (ProtoReader.wireType(tag) != ProtoReader.LENGTH_DELIMITED) {
            throw reader.malformed(field + " has wire type " + ProtoReader.wireType(tag) + ", expected 2");
        }
        return reader;
    }

    public Path file() {
        return file;
    }

    /** The exporter named in the file ({@code producer_name}), e.g. {@code pytorch}. */
    public String producer() {
        return producer;
    }

    /** The graph's operators in file order (topologically sorted, as ONNX requires). */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** The node whose output is {@code valueName}, if any. */
    public OnnxNode producerOf(String valueName) {
        for (OnnxNode node : nodes) {
            if (node.outputs().contains(valueName)) {
                return node;
            }
        }
        return null;
    }

    @Override
    public Set<String> names() {
        return initializers.keySet();
    }


    /** The initializer with this ONNX name. */
    @Override
    public TensorView tensor(String name) {
        TensorView view = initializers.get(name);
        if (view == null) {
            throw new ModelMismatchException("No initializer '" + name + "' in ONNX file " + file);
        }
        return view;
    }

    /** ONNX files carry no safetensors-style metadata: always empty. */
    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {
        arena.close();
    }

    static DType dtypeOf(int onnxDataType) {
        return switch (onnxDataType) {
            case 1 -> DType.F32;
            case 2 -> DType.U8;
            case 3 -> DType.I8;
            case 4 -> DType.U16;
            case 5 -> DType.I16;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 9 -> DType.BOOL;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 12 -> DType.U32;
            case 13 -> DType.U64;
            case 16 -> DType.BF16;
            default -> null;
        };
    }
}
