package dev.aperture.core.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Conversions between float32 and the 16-bit float formats safetensors files use.
 * <ul>
 *   <li>F16 (IEEE binary16): the JDK's {@link Float#float16ToFloat} / {@link Float#floatToFloat16}, exact and
 *       round-to-nearest-even.</li>
 *   <li>BF16 (bfloat16): the upper half of a float32, so widening is a 16-bit shift (exact for every pattern:
 *       subnormals, infinities, NaN payloads); narrowing rounds to nearest, ties to even, and keeps NaN a NaN.</li>
 * </ul>
 */
public final class FloatConversions {
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FloatConversions() {
    }

    /** The float32 value of an F16 bit pattern. */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** The F16 bit pattern nearest to {@code value} (ties to even). */
    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }

    /** The float32 value of a BF16 bit pattern. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** The BF16 bit pattern nearest to {@code value} (ties to even); NaN stays a (quiet) NaN. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            // Rounding could carry a NaN's payload into the exponent (or clear it); keep the sign, force a quiet NaN.
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsbOfKeptHalf = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsbOfKeptHalf) >>> 16);
    }

    /** Widens {@code count} little-endian F16 values starting at byte 0 of {@code source} into {@code target}. */
    public static void f16ToFloat(MemorySegment source, float[] target, int targetOffset, int count) {
        for (int i = 0; i < count; i++) {
            target[targetOffset + i] = Float.float16ToFloat(source.getAtIndex(I16_LE, i));
        }
    }

    /** Widens {@code count} little-endian BF16 values starting at byte 0 of {@code source} into {@code target}. */
    public static void bf16ToFloat(MemorySegment source, float[] target, int targetOffset, int count) {
        for (int i = 0; i < count; i++) {
            // The shift pushes the short's sign extension out of the int, so no 0xffff mask is needed.
            target[targetOffset + i] = Float.intBitsToFloat(source.getAtIndex(I16_LE, i) << 16);
        }
    }
}
