package dev.aperture.models.convert;

import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.FloatConversions;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a converted checkpoint back and compares it with its source, tensor by tensor: the same names, shapes and
 * types (cast as the target says), and the same contents. A kept tensor must be byte-identical. A cast tensor must hold,
 * at every element, the source value cast on its own: this computes each expected element one at a time with
 * {@link FloatConversions}' scalar conversions, a path separate from the chunked one that wrote the file, so a fault in
 * chunking, ordering, offsets or sharding shows up as a mismatch.
 */
final class ConversionVerifier {
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final TensorSource source;
    private final TensorSource written;
    private final TargetDType dtype;
    private final Path folder;

    private ConversionVerifier(TensorSource source, TensorSource written, TargetDType dtype, Path folder) {
        this.source = source;
        this.written = written;
        this.dtype = dtype;
        this.folder = folder;
    }

    /**
     * Checks that {@code written} (the converted checkpoint, in {@code folder}) holds exactly {@code source}'s
     * tensors, converted as {@code dtype} says.
     *
     * @throws ModelMismatchException naming the first tensor (and element) that differs, or a missing or extra tensor
     */
    static void verify(TensorSource source, TensorSource written, TargetDType dtype, Path folder,
                       ConversionListener listener) {
        ConversionVerifier verifier = new ConversionVerifier(source, written, dtype, folder);
        verifier.checkSameNames();
        long bytesTotal = written.names().stream().mapToLong(name -> written.tensor(name).byteSize()).sum();
        int done = 0;
        long bytesDone = 0;
        for (String name : source.names()) {
            TensorView converted = written.tensor(name);
            verifier.checkTensor(source.tensor(name), converted);
            bytesDone += converted.byteSize();
            listener.progress(ConversionListener.Phase.VERIFYING, ++done, source.names().size(), bytesDone, bytesTotal);
        }
    }

    private void checkSameNames() {
        Set<String> missing = new HashSet<>(source.names());
        missing.removeAll(written.names());
        Set<String> extra = new HashSet<>(written.names());
        extra.removeAll(source.names());
        if (!missing.isEmpty()) {
            throw failure("lacks tensor '" + missing.stream().sorted().findFirst().orElseThrow() + "' of the source"
                    + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : ""));
        }
        if (!extra.isEmpty()) {
            throw failure("holds tensor '" + extra.stream().sorted().findFirst().orElseThrow()
                    + "', which the source does not");
        }
    }

    private void checkTensor(TensorView original, TensorView converted) {
        DType expectedType = dtype.storedTypeOf(original.dtype());
        if (converted.dtype() != expectedType || !Arrays.equals(converted.shape(), original.shape())) {
            throw failure("has tensor '" + original.name() + "' as " + converted.dtype() + " "
                    + Arrays.toString(converted.shape()) + ", expected " + expectedType + " "
                    + Arrays.toString(original.shape()));
        }
        if (expectedType == original.dtype()) {
            checkSameBytes(original, converted);
        } else {
            checkCastElements(original, converted);
        }
    }

    private void checkSameBytes(TensorView original, TensorView converted) {
        long at = original.data().mismatch(converted.data());
        if (at >= 0) {
            throw failure("has tensor '" + original.name() + "' differing from the source at byte " + at);
        }
    }

    private void checkCastElements(TensorView original, TensorView converted) {
        MemorySegment from = original.data();
        MemorySegment to = converted.data();
        long count = original.elementCount();
        for (long i = 0; i < count; i++) {
            float value = valueAt(from, original.dtype(), i);
            int expected = bitsOf(value, converted.dtype());
            int actual = converted.dtype() == DType.F32 ? to.getAtIndex(I32_LE, i) : to.getAtIndex(I16_LE, i) & 0xffff;
            if (actual != expected && !(isNaN(expected, converted.dtype()) && isNaN(actual, converted.dtype()))) {
                throw failure("has tensor '" + original.name() + "' differing from the source cast to "
                        + converted.dtype() + " at element " + i + ": source value " + value + ", expected bits 0x"
                        + Integer.toHexString(expected) + ", found 0x" + Integer.toHexString(actual));
            }
        }
    }

    /** The source element as float32: exact for F32, F16 and BF16; F64 rounded to nearest, as Java's cast does. */
    private static float valueAt(MemorySegment data, DType type, long index) {
        return switch (type) {
            case F64 -> (float) data.getAtIndex(F64_LE, index);
            case F32 -> Float.intBitsToFloat(data.getAtIndex(I32_LE, index));
            case F16 -> FloatConversions.f16ToFloat(data.getAtIndex(I16_LE, index));
            case BF16 -> FloatConversions.bf16ToFloat(data.getAtIndex(I16_LE, index));
            default -> throw new IllegalStateException(type + " is not a type a conversion casts");
        };
    }

    private static int bitsOf(float value, DType target) {
        return switch (target) {
            case F32 -> Float.floatToRawIntBits(value);
            case F16 -> FloatConversions.floatToF16(value) & 0xffff;
            case BF16 -> FloatConversions.floatToBf16(value) & 0xffff;
            default -> throw new IllegalStateException(target + " is not a cast target");
        };
    }

    /** NaN payloads may differ between conversion paths; any NaN where a NaN is expected is right. */
    private static boolean isNaN(int bits, DType type) {
        return switch (type) {
            case F32 -> Float.isNaN(Float.intBitsToFloat(bits));
            case F16 -> Float.isNaN(FloatConversions.f16ToFloat((short) bits));
            default -> Float.isNaN(FloatConversions.bf16ToFloat((short) bits));
        };
    }

    private ModelMismatchException failure(String what) {
        return new ModelMismatchException("Verification failed: the converted checkpoint in " + folder + " " + what
                + "; nothing was kept");
    }
}
