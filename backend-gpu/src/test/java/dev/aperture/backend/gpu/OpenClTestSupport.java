package dev.aperture.backend.gpu;

import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorView;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared setup of the OpenCL tests. A test that needs OpenCL is skipped only when OpenCL is genuinely absent
 * (no library, platform or device), and fails instead when the environment variable {@code CI} is set: a GPU
 * suite that silently skips in CI tests nothing.
 */
final class OpenClTestSupport {
    private OpenClTestSupport() {
    }

    /** A backend on the configured device ({@code aperture.opencl.device}), or skip/fail as described above. */
    static OpenClBackend openBackend() {
        requireOpenCl();
        return new OpenClBackend();
    }

    /** Returns when OpenCL is usable; otherwise fails in CI and skips elsewhere, with the probe's reason. */
    static void requireOpenCl() {
        OpenCl.Availability availability = OpenCl.probe();
        if (!availability.available() && runningInCi()) {
            fail("OpenCL is required in CI (environment variable CI is set) but is absent: " + availability.reason());
        }
        assumeTrue(availability.available(), () -> "OpenCL absent, skipping: " + availability.reason());
    }

    static boolean runningInCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }

    /** {@code count} values uniform in [-range, range). */
    static float[] randomValues(Random random, int count, float range) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * range;
        }
        return values;
    }

    /** A float32 tensor over {@code values}, as SafeTensors would hand it out. */
    static TensorView f32Tensor(String name, float[] values, long... shape) {
        return new TensorView(name, DType.F32, shape, MemorySegment.ofArray(values.clone()));
    }

    /** A tensor of 16-bit values ({@code F16} or {@code BF16} bit patterns). */
    static TensorView halfTensor(String name, DType dtype, short[] bits, long... shape) {
        return new TensorView(name, dtype, shape, MemorySegment.ofArray(bits.clone()));
    }
}
