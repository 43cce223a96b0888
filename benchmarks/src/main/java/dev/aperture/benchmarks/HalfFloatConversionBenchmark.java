package dev.aperture.benchmarks;

import dev.aperture.core.tensor.FloatConversions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Widening a large F16 or BF16 tensor (off-heap, as in a mapped file) to float32: the cost of loading
 * half-precision weights. Default size: 4M elements (8 MB in, 16 MB out), a large ViT weight.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HalfFloatConversionBenchmark {
    @Param("4194304")
    public int elements;

    private Arena arena;
    private MemorySegment halves;
    private float[] floats;

    @Setup(Level.Trial)
    public void fillRandomFiniteHalves() {
        arena = Arena.ofShared();
        halves = arena.allocate(2L * elements, 64);
        floats = new float[elements];
        Random random = new Random(7);
        ValueLayout.OfShort littleEndian = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < elements; i++) {
            // Gaussian values, like weights; the same bits read as F16 and as BF16 are finite either way.
            halves.setAtIndex(littleEndian, i, Float.floatToFloat16((float) random.nextGaussian()));
        }
    }

    @TearDown(Level.Trial)
    public void release() {
        arena.close();
    }

    @Benchmark
    public float[] f16ToF32() {
        FloatConversions.f16ToFloat(halves, floats, 0, elements);
        return floats;
    }

    @Benchmark
    public float[] bf16ToF32() {
        FloatConversions.bf16ToFloat(halves, floats, 0, elements);
        return floats;
    }
}
