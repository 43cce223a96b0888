package dev.aperture.models.bert.onnx;

import dev.aperture.core.FormatException;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.protobuf.ProtoReader;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads one ONNX {@code TensorProto} into a {@link TensorView}. Values come either as {@code raw_data}
 * (little-endian bytes, viewed in place) or, for float tensors, as packed {@code float_data}. The byte count must
 * equal the element count times the element size; tensors stored in external files are rejected.
 */
final class OnnxTensorReader {
    private static final int DIMS = 1;
    private static final int DATA_TYPE = 2;
    private static final int FLOAT_DATA = 4;
    private static final int NAME = 8;
    private static final int RAW_DATA = 9;
    private static final int DATA_LOCATION = 14;
    private static final int ATTRIBUTE_TENSOR = 5;
    private static final int ONNX_FLOAT = 1;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private OnnxTensorReader() {
    }

    static TensorView read(ProtoReader tensor, String source) {
        ProtoReader.LongList dims = new ProtoReader.LongList();
        int dataType = 0;
        String name = "";
        MemorySegment data = null;
        MemorySegment floatData = null;
        while (tensor.hasMore()) {
            int tag = tensor.readTag();
            int wireType = ProtoReader.wireType(tag);
            switch (ProtoReader.fieldNumber(tag)) {
                case DIMS -> tensor.readInt64s(wireType, dims);
                case DATA_TYPE -> dataType = (int) tensor.readVarint();
                case NAME -> name = tensor.readString();
                case RAW_DATA -> data = tensor.readLengthDelimited();
                case FLOAT_DATA -> floatData = readFloatData(tensor, wireType, floatData);
                case DATA_LOCATION -> {
                    if (tensor.readVarint() != 0) {
                        throw new FormatException("ONNX file " + source + ": initializer '" + name
                                + "' is stored in an external data file, which is not supported");
                    }
                }
                default -> tensor.skip(wireType);
            }
        }
        DType dtype = OnnxModel.dtypeOf(dataType);
        if (dtype == null) {
            throw new FormatException("ONNX file " + source + ": initializer '" + name + "' has unsupported data_type "
                    + dataType + " (supported: float, float16, bfloat16, double and integer types)");
        }
        long[] shape = dims.toArray();
        long expectedBytes = byteCount(shape, dtype, name, source);
        if (data == null && floatData != null && dtype == DType.F32) {
            data = floatData;
        }
        if (data == null) {
            data = MemorySegment.ofArray(new byte[0]);
        }
        if (data.byteSize() != expectedBytes) {
            throw new FormatException("ONNX file " + source + ": initializer '" + name + "' of shape "
                    + Arrays.toString(shape) + " " + dtype + " needs " + expectedBytes + " bytes but holds "
                    + data.byteSize());
        }
        return new TensorView(name, dtype, shape, data);
    }

    /**
     * The value of an attribute holding a one-element float tensor ({@code Constant}'s {@code value}), or NaN for
     * any other attribute.
     */
    static float scalarFloatAttribute(ProtoReader attribute) {
        float value = Float.NaN;
        while (attribute.hasMore()) {
            int tag = attribute.readTag();
            if (ProtoReader.fieldNumber(tag) == ATTRIBUTE_TENSOR && ProtoReader.wireType(tag) == ProtoReader.LENGTH_DELIMITED) {
                value = scalarFloat(attribute.readMessage());
            } else {
                attribute.skip(ProtoReader.wireType(tag));
            }
        }
        return value;
    }

    private static float scalarFloat(ProtoReader tensor) {
        int dataType = 0;
        long elements = 1;
        float value = Float.NaN;
        while (tensor.hasMore()) {
            int tag = tensor.readTag();
            int wireType = ProtoReader.wireType(tag);
            switch (ProtoReader.fieldNumber(tag)) {
                case DIMS -> {
                    ProtoReader.LongList dims = new ProtoReader.LongList();
                    tensor.readInt64s(wireType, dims);
                    for (long d : dims.toArray()) {
                        elements *= d;
                    }
                }
                case DATA_TYPE -> dataType = (int) tensor.readVarint();
                case RAW_DATA -> {
                    MemorySegment raw = tensor.readLengthDelimited();
                    value = raw.byteSize() == 4 ? raw.get(F32_LE, 0) : Float.NaN;
                }
                case FLOAT_DATA -> {
                    MemorySegment floats = readFloatData(tensor, wireType, null);
                    value = floats.byteSize() == 4 ? floats.get(F32_LE, 0) : Float.NaN;
                }
                default -> tensor.skip(wireType);
            }
        }
        return dataType == ONNX_FLOAT && elements == 1 ? value : Float.NaN;
    }

    /** Packed float_data is a length-delimited run of little-endian floats; an unpacked one is one fixed32 each. */
    private static MemorySegment readFloatData(ProtoReader tensor, int wireType, MemorySegment soFar) {
        if (wireType == ProtoReader.LENGTH_DELIMITED) {
            MemorySegment packed = tensor.readLengthDelimited();
            if (packed.byteSize() % 4 != 0) {
                throw tensor.malformed("packed float_data of " + packed.byteSize() + " bytes, not a multiple of 4");
            }
            return soFar == null ? packed : concat(soFar, packed);
        }
        if (wireType != ProtoReader.FIXED32) {
            throw tensor.malformed("float_data with wire type " + wireType);
        }
        // Unpacked: read the whole run of consecutive fixed32 values at once (one copy, not one per value).
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        writeFloat(run, tensor.readFixed32Float());
        while (tensor.hasMore() && tensor.peekTag() == ((FLOAT_DATA << 3) | ProtoReader.FIXED32)) {
            tensor.readTag();
            writeFloat(run, tensor.readFixed32Float());
        }
        MemorySegment values = MemorySegment.ofArray(run.toByteArray());
        return soFar == null ? values : concat(soFar, values);
    }

    private static void writeFloat(ByteArrayOutputStream out, float value) {
        int bits = Float.floatToRawIntBits(value);
        out.write(bits);
        out.write(bits >>> 8);
        out.write(bits >>> 16);
        out.write(bits >>> 24);
    }

    /** Both parts were read from the file, so their sum is bounded by its size. */
    private static MemorySegment concat(MemorySegment first, MemorySegment second) {
        MemorySegment joined = MemorySegment.ofArray(new byte[Math.toIntExact(first.byteSize() + second.byteSize())]);
        joined.copyFrom(first);
        joined.asSlice(first.byteSize()).copyFrom(second);
        return joined;
    }

    private static long byteCount(long[] shape, DType dtype, String name, String source) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new FormatException("ONNX file " + source + ": initializer '" + name + "' has negative dimension " + dim);
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new FormatException("ONNX file " + source + ": initializer '" + name + "' has too many elements");
            }
        }
        try {
            return Math.multiplyExact(count, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new FormatException("ONNX file " + source + ": initializer '" + name + "' has too many elements");
        }
    }
}
