package dev.aperture.backend.cpu;

import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random inputs, tensor views over heap arrays and error measurement shared by the kernel tests. */
final class TestArrays {
    private TestArrays() {
    }

    static float[] random(long seed, int count, double halfWidth) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * halfWidth);
        }
        return values;
    }

    static TensorView f32(String name, float[] values, long... shape) {
        return new TensorView(name, DType.F32, shape, MemorySegment.ofArray(values));
    }

    static TensorView f16(String name, float[] values, long... shape) {
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToFloat16(values[i]);
        }
        return new TensorView(name, DType.F16, shape, MemorySegment.ofArray(bits));
    }

    static TensorView bf16(String name, float[] values, long... shape) {
        short[] bits = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = (short) (Float.floatToRawIntBits(values[i]) >>> 16);
        }
        return new TensorView(name, DType.BF16, shape, MemorySegment.ofArray(bits));
    }

    static void assertClose(double[] expected, float[] actual, double tolerance) {
        assertTrue(expected.length == actual.length, "length " + actual.length + ", expected " + expected.length);
        double maxError = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]);
            if (!(error <= maxError)) {
                maxError = error;
                worst = i;
            }
        }
        final double measured = maxError;
        final int at = worst;
        assertTrue(measured <= tolerance, () -> "max abs error " + measured + " at " + at + " > " + tolerance);
    }
}
