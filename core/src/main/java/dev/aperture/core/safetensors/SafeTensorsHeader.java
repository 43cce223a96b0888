package dev.aperture.core.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.tensor.DType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file: the tensors in header order and the optional
 * {@code __metadata__} (string to string).
 *
 * <p>Validation follows the reference implementation, strictly: every tensor entry has a known dtype, a shape of
 * non-negative integers whose product times the dtype's size fits in a long, and {@code data_offsets [begin, end]}
 * whose length equals that size; sorted by offset, the tensors tile the data region exactly (no overlap, no gap, no
 * trailing bytes). Duplicate keys are refused (Jackson would otherwise keep the last one silently). Every failure is
 * a {@link SafeTensorsFormatException} naming the file and the tensor.
 */
public record SafeTensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata) {
    private static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public SafeTensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Parses and validates a header.
     *
     * @param file      names the file in messages
     * @param json      the header bytes (UTF-8 JSON, possibly padded with trailing spaces)
     * @param dataBytes size of the data region that follows the header
     * @throws SafeTensorsFormatException when the header is malformed or does not match the data region
     */
    public static SafeTensorsHeader parse(String file, byte[] json, long dataBytes) {
        return parse(file, json, dataBytes, CheckpointLimits.DEFAULT);
    }

    /**
     * Parses and validates a header, refusing more tensors than {@code limits} allow before building any of them.
     *
     * @throws SafeTensorsFormatException when the header is malformed or does not match the data region
     * @throws ResourceLimitException     when it declares more than {@link CheckpointLimits#maxTensors()} tensors
     */
    public static SafeTensorsHeader parse(String file, byte[] json, long dataBytes, CheckpointLimits limits) {
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(json);
        } catch (JacksonException e) {
            throw new SafeTensorsFormatException(file + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafeTensorsFormatException(file + ": header cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsFormatException(file + ": header is not a JSON object");
        }
        int tensorCount = root.size() - (root.has(METADATA_KEY) ? 1 : 0);
        if (tensorCount > limits.maxTensors()) {
            throw new ResourceLimitException(file + ": header declares " + tensorCount
                    + " tensors, over the limit of " + limits.maxTensors() + " (CheckpointLimits.maxTensors)");
        }
        List<TensorInfo> tensors = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (entry.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, entry.getValue());
            } else {
                tensors.add(parseTensor(file, entry.getKey(), entry.getValue(), dataBytes));
            }
        }
        checkTiling(file, tensors, dataBytes);
        return new SafeTensorsHeader(tensors, metadata);
    }

    private static Map<String, String> parseMetadata(String file, JsonNode node) {
        if (!node.isObject()) {
            throw new SafeTensorsFormatException(file + ": __metadata__ is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new SafeTensorsFormatException(file + ": __metadata__ value '" + entry.getKey()
                        + "' is not a string");
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
        return metadata;
    }

    private static TensorInfo parseTensor(String file, String name, JsonNode node, long dataBytes) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new SafeTensorsFormatException(where + ": entry is not a JSON object");
        }
        DType dtype = parseDtype(where, node.get("dtype"));
        long[] shape = parseShape(where, node.get("shape"));
        long[] offsets = parseOffsets(where, node.get("data_offsets"));
        long elementCount = 1;
        for (long dim : shape) {
            if (dim != 0 && elementCount > Long.MAX_VALUE / dim) {
                throw new SafeTensorsFormatException(where + ": shape " + Arrays.toString(shape)
                        + " has more elements than a long can count (overflow)");
            }
            elementCount *= dim;
        }
        long expectedBytes = dtype.byteCount(elementCount);
        if (expectedBytes < 0) {
            throw new SafeTensorsFormatException(where + ": " + elementCount + " elements of " + dtype
                    + (dtype.isSubByte() ? " do not fill whole bytes" : " overflow a long byte count"));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new SafeTensorsFormatException(where + ": data_offsets [" + begin + ", " + end + "] are reversed");
        }
        if (end > dataBytes) {
            throw new SafeTensorsFormatException(where + ": data_offsets [" + begin + ", " + end
                    + "] are out of range: the data region has " + dataBytes + " bytes");
        }
        if (end - begin != expectedBytes) {
            throw new SafeTensorsFormatException(where + ": data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expectedBytes);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static DType parseDtype(String where, JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new SafeTensorsFormatException(where + ": missing or non-string \"dtype\"");
        }
        return DType.fromHeaderName(node.textValue()).orElseThrow(() -> new SafeTensorsFormatException(
                where + ": unknown dtype \"" + node.textValue() + "\""));
    }

    private static long[] parseShape(String where, JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new SafeTensorsFormatException(where + ": missing or non-array \"shape\"");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(where, "shape[" + i + "]", node.get(i));
        }
        return shape;
    }

    private static long[] parseOffsets(String where, JsonNode node) {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new SafeTensorsFormatException(where + ": \"data_offsets\" must be an array [begin, end]");
        }
        return new long[] {
                nonNegativeLong(where, "data_offsets[0]", node.get(0)),
                nonNegativeLong(where, "data_offsets[1]", node.get(1))};
    }

    private static long nonNegativeLong(String where, String field, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new SafeTensorsFormatException(where + ": " + field + " is " + node
                    + ", not a non-negative integer");
        }
        return node.longValue();
    }

    /** Sorted by offset, the tensors must cover [0, dataBytes) exactly once. */
    private static void checkTiling(String file, List<TensorInfo> tensors, long dataBytes) {
        List<TensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        String previous = null;
        for (TensorInfo tensor : byOffset) {
            if (tensor.begin() < covered) {
                throw new SafeTensorsFormatException(file + ": tensor '" + tensor.name() + "' data_offsets ["
                        + tensor.begin() + ", " + tensor.end() + "] overlap tensor '" + previous + "'");
            }
            if (tensor.begin() > covered) {
                throw new SafeTensorsFormatException(file + ": tensor '" + tensor.name() + "' starts at "
                        + tensor.begin() + ", leaving a gap of unused bytes after offset " + covered);
            }
            covered = tensor.end();
            previous = tensor.name();
        }
        if (covered != dataBytes) {
            throw new SafeTensorsFormatException(file + ": the data region has " + (dataBytes - covered)
                    + " trailing bytes that belong to no tensor (tensors end at " + covered + " of " + dataBytes + ")");
        }
    }
}
