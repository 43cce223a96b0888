package dev.aperture.backend.cpu.gemm;

import dev.aperture.core.InputException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * {@code y[m, n] = x[m, k] · Wᵀ + b} for a prepacked {@code W} (see {@link PackedMatrix}), on the Vector API.
 *
 * <p>The tiling, read like the math. Cut x into strips of {@code MR} rows, W into panels of {@code NR}
 * output columns, and k into blocks of {@code KC}. Then every {@code MR x NR} tile of y is
 * {@code y[strip, panel] = b[panel] + Σ_pc x[strip, pc:pc+KC] · Wᵀ[pc:pc+KC, panel]}, and each term of that
 * sum is one call of the {@link MicroKernel}: {@code KC} rank-1 updates of {@code MR x NR} accumulators
 * held in registers, one FMA per (row, vector, p). The loops around it only decide what stays in which cache:
 * <ol>
 *   <li>x is copied once per call into strip-major order ({@code xs[strip][p][r]}, rows past m zero), so a
 *       strip's k-block is one contiguous run the kernel reads front to back; the threads copy a share each;</li>
 *   <li>the work is cut into tasks (a range of strips x a range of panels); per task, for each k-block,
 *       for each group of {@code MC} rows (their {@code MC x KC} block stays in L2), for each panel (its
 *       {@code KC x NR} slice stays in L1 while every strip of the group uses it), for each strip: the kernel,
 *       whose tile then goes into y (plus bias on the first k-block, plus the partial sum on
 *       later ones, plus a residual and then an activation on the last: the {@link Epilogue}).</li>
 * </ol>
 * 16-bit panels ({@link PanelFormat#BF16}, {@link PanelFormat#F16}) take one more step: per k-block, the task
 * widens the slices of a few panels at a time into an f32 buffer ({@link PanelWidening}) and runs the same loops
 * over it, so each weight is converted once per k-block and task, not once per strip.
 * Edges cost nothing special: the last panel is zero-padded by packing, the last strip by the x copy, and
 * only the final store of a tile is masked. Threads claim tasks from a shared counter, so a thread that the
 * OS deschedules (a shared machine) delays one task, not half the matrix. One call may compute several
 * {@link Product}s of the same x (attention's query, key and value): x is copied once and their panels form
 * one task grid.
 *
 * <p>No buffer is allocated per call: the x copy and the task state live in thread-locals of the calling thread,
 * tile buffers in thread-locals of the pool's fixed threads (the x buffer grows to the largest call seen).
 * Instances are thread-safe.
 */
public final class Gemm {
    /** Rows per L2 group: a multiple of {@code MR}; {@code MC x KC} floats (72 KiB) stay in L2. */
    static final int MC = 72;
    /** Depth of a k-block: a {@code KC x NR} panel slice (16-32 KiB) stays in L1. */
    static final int KC = 256;
    /** Tasks per thread: enough that a delayed thread's share is picked up by the others. */
    private static final int TASKS_PER_THREAD = 4;

    private static final ThreadLocal<Epilogue> TILES = ThreadLocal.withInitial(Epilogue::new);
    private static final ThreadLocal<GemmCall> CALLS = ThreadLocal.withInitial(GemmCall::new);

    private final ComputePool pool;
    private final int threads;

    /** A GEMM running on {@code threads} threads of {@code pool} ({@code 1 <= threads <= pool.threads()}). */
    public Gemm(ComputePool pool, int threads) {
        if (threads < 1 || threads > pool.threads()) {
            throw new IllegalArgumentException("threads must be in [1, " + pool.threads() + "], got " + threads);
        }
        this.pool = pool;
        this.threads = threads;
    }

    /** A GEMM using every thread of the shared pool. */
    public static Gemm shared() {
        return new Gemm(ComputePool.shared(), ComputePool.shared().threads());
    }

    /** Output columns per weight panel (two vectors of the chosen species). */
    public static int panelWidth() {
        return MicroKernel.NR;
    }

    /** Threads one multiply uses. */
    public int threads() {
        return threads;
    }

    /** {@code y[m, n] = x[m, k] · Wᵀ + bias}, x and y row-major and dense; {@code bias} may be null. */
    public void multiply(float[] x, int m, PackedMatrix w, float[] bias, float[] y) {
        multiply(x, m, List.of(Product.of(w, bias, y)));
    }

    /**
     * Every product of {@code x[m, k]} (row-major, dense), computed in one pass: x is copied once and all
     * products' panels are split over the threads together.
     *
     * @throws InputException when the products' weights disagree on k, or an array is too short for the shapes
     */
    public void multiply(float[] x, int m, List<Product> products) {
        checkArguments(x, m, products);
        if (m == 0) {
            return;
        }
        GemmCall call = CALLS.get();
        call.aim(x, m, products.get(0).weights().inFeatures(), products, threads * TASKS_PER_THREAD);
        int parts = Math.min(threads, call.tasks);
        call.splitInto(parts);
        if (parts == 1) {
            call.run(0);
        } else {
            pool.run(parts, call);
        }
        call.release();
    }

    private static void checkArguments(float[] x, int m, List<Product> products) {
        if (products.isEmpty()) {
            throw new InputException("GEMM needs at least one product");
        }
        if (m < 0) {
            throw new InputException("GEMM rows (" + m + ") must be non-negative");
        }
        int k = products.get(0).weights().inFeatures();
        if ((long) m * k > x.length) {
            throw new InputException("GEMM input x holds " + x.length + " floats, needs " + m + " x " + k);
        }
        for (Product product : products) {
            int n = product.weights().outFeatures();
            if (product.weights().inFeatures() != k) {
                throw new InputException("GEMM products of one x need one k: " + k + " and "
                        + product.weights().inFeatures());
            }
            if ((long) m * n > product.y().length) {
                throw new InputException("GEMM output y holds " + product.y().length + " floats, needs " + m
                        + " x " + n);
            }
            if (product.bias() != null && product.bias().length < n) {
                throw new InputException("GEMM bias holds " + product.bias().length + " floats, needs " + n);
            }
            if (product.residual() != null && (long) m * n > product.residual().length) {
                throw new InputException("GEMM residual holds " + product.residual().length + " floats, needs "
                        + m + " x " + n);
            }
            if (product.residual() == product.y()) {
                throw new InputException("GEMM output y cannot be its own residual");
            }
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Runs the tile loops for strips {@code [stripBegin, stripEnd)} x panels {@code [panelBegin, panelEnd)}. */
    static void multiplyTask(float[] rows, int k, Product product, int m, int stripBegin, int stripEnd,
                             int panelBegin, int panelEnd) {
        Epilogue out = TILES.get();
        PackedMatrix w = product.weights();
        boolean widen = w.format() != PanelFormat.F32;
        // f32 panels are read where they are; 16-bit ones a few panels at a time, widened once per k-block.
        int panelsPerPass = widen ? PanelWidening.PANELS : panelEnd - panelBegin;
        out.y = product.y();
        out.rowStride = w.outFeatures();
        out.bias = product.bias();
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean lastBlock = pc + kc == k;
            out.accumulate = pc > 0;
            out.residual = lastBlock ? product.residual() : null;
            out.function = lastBlock ? product.function() : null;
            for (int first = panelBegin; first < panelEnd; first += panelsPerPass) {
                int last = Math.min(panelEnd, first + panelsPerPass);
                if (widen) {
                    MemorySegment widened = PanelWidening.widen(w, first, last, pc, kc);
                    multiplyBlock(rows, k, m, out, w.outFeatures(), stripBegin, stripEnd, first, last, pc, kc,
                            widened, (long) -first * kc * MicroKernel.NR, kc);
                } else {
                    multiplyBlock(rows, k, m, out, w.outFeatures(), stripBegin, stripEnd, first, last, pc, kc,
                            w.panels(), pc * MicroKernel.NR, k);
                }
            }
        }
        out.y = null;
        out.bias = null;
        out.residual = null;
        out.function = null;
    }

    /**
     * One k-block {@code [pc, pc+kc)} of the tiles of strips {@code [stripBegin, stripEnd)} x panels
     * {@code [first, last)}, the panels' f32 values read from {@code b}: panel {@code j}'s slice starts at element
     * {@code origin + j * panelStride * NR} (the packed panels themselves, or a buffer of widened slices).
     */
    private static void multiplyBlock(float[] rows, int k, int m, Epilogue out, int n, int stripBegin,
                                      int stripEnd, int first, int last, int pc, int kc, MemorySegment b,
                                      long origin, int panelStride) {
        int mr = MicroKernel.MR;
        int nr = MicroKernel.NR;
        int stripsPerGroup = MC / mr;
        for (int groupBegin = stripBegin; groupBegin < stripEnd; groupBegin += stripsPerGroup) {
            int groupEnd = Math.min(stripEnd, groupBegin + stripsPerGroup);
            for (int panel = first; panel < last; panel++) {
                long bi = (origin + (long) panel * panelStride * nr) * Float.BYTES;
                int column = panel * nr;
                for (int strip = groupBegin; strip < groupEnd; strip++) {
                    out.aim(strip * mr * n + column, Math.min(mr, m - strip * mr), column, Math.min(nr, n - column));
                    MicroKernel.multiply(rows, strip * mr * k + pc * mr, b, bi, kc, out.tile);
                    out.apply();
                    if (out.function != null) {
                        out.applyFunction();
                    }
                }
            }
        }
    }
}
