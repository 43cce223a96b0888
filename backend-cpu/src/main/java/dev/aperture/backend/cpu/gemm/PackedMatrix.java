package dev.aperture.backend.cpu.gemm;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.tensor.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A weight matrix {@code W [n, k]} (Hugging Face Linear layout: out features x in features, row-major)
 * rearranged once, at model load, into the column panels {@link Gemm}'s micro-kernel streams.
 *
 * <p>Panel {@code j} holds output columns {@code j*NR .. j*NR+NR-1} for every {@code p < k}, stored
 * p-major: element {@code (p, c)} sits at {@code j*k*NR + p*NR + c} and equals {@code W[j*NR + c][p]}.
 * One k-step of the micro-kernel therefore reads {@code NR} contiguous floats (two vectors), and a k-block
 * {@code [p0, p0+KC)} of a panel is one contiguous run. Columns past {@code n} in the last panel are zero,
 * so the kernel never needs a narrower code path for them (only its final store is masked).
 *
 * <p>Instances are immutable and may be shared by any number of threads. The panels live in native memory
 * that the garbage collector frees with the matrix; there is nothing to close.
 */
public final class PackedMatrix implements LinearWeights {
    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int n;
    private final int k;
    private final int panelWidth;
    /** Panels start on a cache line, so (with NR a multiple of 16 bytes) no vector load is split across two. */
    private static final long CACHE_LINE = 64;

    private final PanelFormat format;
    private final MemorySegment panels;

    private PackedMatrix(int n, int k, int panelWidth, PanelFormat format, MemorySegment panels) {
        this.n = n;
        this.k = k;
        this.panelWidth = panelWidth;
        this.format = format;
        this.panels = panels;
    }

    /**
     * Native memory for the panels, aligned to a cache line and freed by the GC with the matrix
     * ({@link Arena#ofAuto()}): a Java array's address is neither aligned nor fixed, and a 64-byte vector load
     * that straddles two cache lines halves the kernel's speed.
     */
    private static MemorySegment allocatePanels(int n, int k, int nr, PanelFormat format) {
        long elements = (long) panelCount(n, nr) * nr * k;
        return Arena.ofAuto().allocate(elements * format.bytes(), CACHE_LINE);
    }

    /** Packs a row-major f32 {@code w [n, k]} into f32 panels. */
    public static PackedMatrix pack(float[] w, int n, int k) {
        checkShape(n, k, w.length, "float[] weights");
        return packFloats(n, k, (row, col) -> w[row * k + col]);
    }

    /**
     * Packs a little-endian {@code [n, k]} tensor (as safetensors stores it) of type F32, F16 or BF16 into
     * f32 panels, converting at pack time: 4 bytes per weight.
     */
    public static PackedMatrix pack(MemorySegment data, DType dtype, int n, int k) {
        checkShape(n, k, data.byteSize() / dtype.byteSize(), "weight segment of " + dtype);
        return switch (dtype) {
            case F32 -> packFloats(n, k, (row, col) -> data.getAtIndex(F32_LE, (long) row * k + col));
            case F16 -> packFloats(n, k, (row, col) -> Float.float16ToFloat(data.getAtIndex(I16_LE, (long) row * k + col)));
            case BF16 -> packFloats(n, k, (row, col) -> Float.intBitsToFloat(data.getAtIndex(I16_LE, (long) row * k + col) << 16));
            default -> throw new InputException("Cannot pack weights of dtype " + dtype + " (need F32, F16 or BF16)");
        };
    }

    /**
     * Packs a little-endian {@code [n, k]} tensor into panels as wide as its stored values: F32 into f32 panels,
     * BF16 into BF16 panels, and F16 into F16 panels unless one of its weights is infinite or NaN (the 16-bit
     * widening handles finite halves only), which go into f32 panels instead. So a model costs its file's size,
     * and computes on exactly the values the file holds.
     */
    public static PackedMatrix packAsStored(MemorySegment data, DType dtype, int n, int k) {
        return switch (dtype) {
            case BF16 -> packHalf(data, dtype, n, k);
            case F16 -> {
                checkShape(n, k, data.byteSize() / dtype.byteSize(), "weight segment of " + dtype);
                boolean finite = firstNonFiniteHalf(data) < 0;  // scanned once, not again by packHalf
                yield finite ? packHalfBits(data, PanelFormat.F16, n, k) : pack(data, dtype, n, k);
            }
            default -> pack(data, dtype, n, k);
        };
    }

    /** The index of the first F16 value that is infinite or NaN (exponent bits all set), or -1 when all are finite. */
    private static long firstNonFiniteHalf(MemorySegment data) {
        long count = data.byteSize() / Short.BYTES;
        for (long i = 0; i < count; i++) {
            if ((data.getAtIndex(I16_LE, i) & 0x7C00) == 0x7C00) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Packs a little-endian F16 or BF16 {@code [n, k]} tensor keeping 16-bit panels: half the memory of
     * {@link #pack(MemorySegment, DType, int, int)}, widened to f32 a block at a time by the GEMM.
     *
     * @throws InputException for another dtype, or an F16 weight that is infinite or NaN (the GEMM's
     *     branch-free widening only handles finite halves, and such a weight is a broken model anyway)
     */
    public static PackedMatrix packHalf(MemorySegment data, DType dtype, int n, int k) {
        checkShape(n, k, data.byteSize() / dtype.byteSize(), "weight segment of " + dtype);
        PanelFormat format = switch (dtype) {
            case F16 -> PanelFormat.F16;
            case BF16 -> PanelFormat.BF16;
            default -> throw new InputException("16-bit panels need F16 or BF16 weights, got " + dtype);
        };
        long nonFinite = format == PanelFormat.F16 ? firstNonFiniteHalf(data) : -1;
        if (nonFinite >= 0) {
            throw new InputException("F16 weight [" + nonFinite / k + ", " + nonFinite % k + "] is infinite or NaN");
        }
        return packHalfBits(data, format, n, k);
    }

    /** 16-bit panels of {@code data}'s bits, copied as they are (the caller has checked shape and values). */
    private static PackedMatrix packHalfBits(MemorySegment data, PanelFormat format, int n, int k) {
        int nr = Gemm.panelWidth();
        MemorySegment panels = allocatePanels(n, k, nr, format);
        for (int row = 0; row < n; row++) {
            long base = (long) (row / nr) * k * nr + row % nr;
            for (int col = 0; col < k; col++) {
                short bits = data.getAtIndex(I16_LE, (long) row * k + col);
                panels.setAtIndex(ValueLayout.JAVA_SHORT, base + (long) col * nr, bits);
            }
        }
        return new PackedMatrix(n, k, nr, format, panels);
    }

    @FunctionalInterface
    private interface Element {
        float at(int row, int col);
    }

    private static PackedMatrix packFloats(int n, int k, Element w) {
        int nr = Gemm.panelWidth();
        MemorySegment panels = allocatePanels(n, k, nr, PanelFormat.F32);
        for (int row = 0; row < n; row++) {
            long base = (long) (row / nr) * k * nr + row % nr;
            for (int col = 0; col < k; col++) {
                panels.setAtIndex(ValueLayout.JAVA_FLOAT, base + (long) col * nr, w.at(row, col));
            }
        }
        return new PackedMatrix(n, k, nr, PanelFormat.F32, panels);
    }

    private static void checkShape(int n, int k, long available, String what) {
        if (n < 1 || k < 1) {
            throw new InputException("Weight shape [" + n + ", " + k + "] must be positive");
        }
        if ((long) n * k != available) {
            throw new InputException("Weight shape [" + n + ", " + k + "] needs " + (long) n * k
                    + " elements but the " + what + " holds " + available);
        }
    }

    static int panelCount(int n, int panelWidth) {
        return (n + panelWidth - 1) / panelWidth;
    }

    /** Output features {@code n} (W's rows). */
    @Override
    public int outFeatures() {
        return n;
    }

    /** Input features {@code k} (W's columns). */
    @Override
    public int inFeatures() {
        return k;
    }

    /** How the panels are stored. */
    public PanelFormat format() {
        return format;
    }

    /** Bytes the panels occupy (padding included). */
    public long byteSize() {
        return panels.byteSize();
    }

    int panelWidth() {
        return panelWidth;
    }

    int panelCount() {
        return panelCount(n, panelWidth);
    }

    MemorySegment panels() {
        return panels;
    }
}
