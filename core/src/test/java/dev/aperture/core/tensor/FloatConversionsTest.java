package dev.aperture.core.tensor;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the 16-bit float conversions against a by-hand decoding of sign, exponent and mantissa. */
class FloatConversionsTest {

    /** Independent decoding of a binary float with the given field widths (IEEE 754 layout). */
    private static double decode(int bits, int exponentBits, int mantissaBits) {
        int sign = (bits >>> (exponentBits + mantissaBits)) & 1;
        int exponent = (bits >>> mantissaBits) & ((1 << exponentBits) - 1);
        int mantissa = bits & ((1 << mantissaBits) - 1);
        int bias = (1 << (exponentBits - 1)) - 1;
        double magnitude;
        if (exponent == (1 << exponentBits) - 1) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb((double) mantissa, 1 - bias - mantissaBits);   // subnormal (or zero)
        } else {
            magnitude = Math.scalb((double) ((1 << mantissaBits) | mantissa), exponent - bias - mantissaBits);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    private static void assertSameFloat(double expected, float actual, int bits) {
        if (Double.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), "pattern 0x" + Integer.toHexString(bits) + " must decode to NaN");
        } else {
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                    "pattern 0x" + Integer.toHexString(bits) + ": expected " + expected + ", got " + actual);
        }
    }

    @Test
    void decodesEveryF16BitPattern() {
        for (int bits = 0; bits < 65_536; bits++) {
            assertSameFloat(decode(bits, 5, 10), FloatConversions.f16ToFloat((short) bits), bits);
        }
    }

    @Test
    void decodesEveryBf16BitPattern() {
        for (int bits = 0; bits < 65_536; bits++) {
            assertSameFloat(decode(bits, 8, 7), FloatConversions.bf16ToFloat((short) bits), bits);
        }
    }

    @Test
    void bulkConversionMatchesScalarForEveryPattern() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate(2 * 65_536);
            for (int bits = 0; bits < 65_536; bits++) {
                all.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), bits, (short) bits);
            }
            float[] f16 = new float[65_536];
            float[] bf16 = new float[65_536];
            FloatConversions.f16ToFloat(all, f16, 0, f16.length);
            FloatConversions.bf16ToFloat(all, bf16, 0, bf16.length);
            for (int bits = 0; bits < 65_536; bits++) {
                assertSameFloat(decode(bits, 5, 10), f16[bits], bits);
                assertSameFloat(decode(bits, 8, 7), bf16[bits], bits);
            }
        }
    }

    @Test
    void bf16NarrowingRoundsToNearestEven() {
        assertEquals((short) 0x3f80, FloatConversions.floatToBf16(Float.intBitsToFloat(0x3f807fff)));   // below half: down
        assertEquals((short) 0x3f81, FloatConversions.floatToBf16(Float.intBitsToFloat(0x3f808001)));   // above half: up
        assertEquals((short) 0x3f80, FloatConversions.floatToBf16(Float.intBitsToFloat(0x3f808000)));   // tie, even stays
        assertEquals((short) 0x3f82, FloatConversions.floatToBf16(Float.intBitsToFloat(0x3f818000)));   // tie, odd rounds up
        assertEquals((short) 0x7f80, FloatConversions.floatToBf16(Float.MAX_VALUE));                    // overflows to +inf
        assertEquals((short) 0xff80, FloatConversions.floatToBf16(Float.NEGATIVE_INFINITY));
        assertEquals((short) 0x8000, FloatConversions.floatToBf16(-0.0f));
        assertEquals((short) 0x0001, FloatConversions.floatToBf16(Float.intBitsToFloat(0x00010000)));  // subnormal kept
    }

    @Test
    void bf16NarrowingKeepsNanANan() {
        float nanWithLowPayloadOnly = Float.intBitsToFloat(0x7f800001);
        assertTrue(Float.isNaN(FloatConversions.bf16ToFloat(FloatConversions.floatToBf16(nanWithLowPayloadOnly))));
        assertTrue(Float.isNaN(FloatConversions.bf16ToFloat(FloatConversions.floatToBf16(Float.intBitsToFloat(0xffffffff)))));
    }

    @Test
    void everyBf16ValueSurvivesARoundTrip() {
        for (int bits = 0; bits < 65_536; bits++) {
            float value = FloatConversions.bf16ToFloat((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals((short) bits, FloatConversions.floatToBf16(value), "pattern 0x" + Integer.toHexString(bits));
            }
        }
    }
}
