package dev.aperture.backend.cpu.gemm;

import dev.aperture.core.InputException;

/**
 * {@code y[m, n] = x[m, k] · Wᵀ + b} for a prepacked {@code W} (see {@link PackedMatrix}), on the Vector API.
 *
 * <p>The tiling, read like the math. Write the product as a sum over k-blocks of width {@code KC}:
 * {@code y = b + Σ_pc x[:, pc:pc+KC] · Wᵀ[pc:pc+KC, :]}. For each k-block:
 * <ol>
 *   <li>take {@code MC} rows of x and copy that {@code MC x KC} block into a per-thread buffer as
 *       {@code MR}-row strips, p-major ({@code a[strip][p][r]}), rows past {@code m} zero. The block stays
 *       in L2 while every weight panel sweeps past it;</li>
 *   <li>for each weight panel ({@code NR} output columns; its {@code KC x NR} slice is contiguous and stays
 *       in L1 while all strips use it), and for each strip, the {@link MicroKernel} computes the
 *       {@code MR x NR} tile {@code Σ_p a[p][r] · B[p][c]} in registers with one FMA per
 *       (row, vector, p), and adds it into {@code y} (or stores it plus the bias on the first k-block).</li>
 * </ol>
 * Edges cost nothing special: the last panel is zero-padded by packing, the last strip by the row copy, and
 * only the final store of a tile is masked. With {@code T} threads the panels (output columns) are split
 * into {@code T} contiguous ranges, one per thread, each thread packing its own copy of the rows
 * (or, when there are fewer panels than threads, the rows are split instead).
 *
 * <p>Nothing is allocated per call except one small job object: row buffers and tile descriptors live in
 * thread-locals of the pool's fixed threads. Instances are thread-safe.
 */
public final class Gemm {
    /** Rows of x per packed block: a multiple of {@code MR}; {@code MC x KC} floats (72 KiB) sit in L2. */
    static final int MC = 72;
    /** Depth of a k-block: a {@code KC x NR} panel slice (16-32 KiB) stays in L1. */
    static final int KC = 256;

    private static final ThreadLocal<Workspace> WORKSPACES = ThreadLocal.withInitial(Workspace::new);

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

    /** {@code y[m, n] = x[m, k] · Wᵀ + bias} with x and y row-major from index 0; {@code bias} may be null. */
    public void multiply(float[] x, int m, PackedMatrix w, float[] bias, float[] y) {
        multiply(x, 0, m, w, bias, y, 0);
    }

    /**
     * {@code y[m, n] = x[m, k] · Wᵀ + bias}, x starting at {@code xOffset}, y at {@code yOffset}, both
     * row-major and dense; {@code bias} ({@code [n]}) may be null.
     *
     * @throws InputException when an array is too short for the shapes
     */
    public void multiply(float[] x, int xOffset, int m, PackedMatrix w, float[] bias, float[] y, int yOffset) {
        int n = w.outFeatures();
        int k = w.inFeatures();
        checkArguments(x, xOffset, m, n, k, bias, y, yOffset);
        if (m == 0) {
            return;
        }
        int panels = w.panelCount();
        int parts = Math.min(threads, Math.max(panels, ceilDiv(m, MicroKernel.MR)));
        if (parts == 1) {
            multiplyBlock(x, xOffset, 0, m, k, w, 0, panels, bias, y, yOffset);
            return;
        }
        boolean splitColumns = panels >= parts;
        pool.run(parts, part -> {
            if (splitColumns) {
                multiplyBlock(x, xOffset, 0, m, k, w, rangeStart(panels, parts, part),
                        rangeStart(panels, parts, part + 1), bias, y, yOffset);
            } else {
                int strips = ceilDiv(m, MicroKernel.MR);
                int rowBegin = Math.min(m, rangeStart(strips, parts, part) * MicroKernel.MR);
                int rowEnd = Math.min(m, rangeStart(strips, parts, part + 1) * MicroKernel.MR);
                multiplyBlock(x, xOffset, rowBegin, rowEnd, k, w, 0, panels, bias, y, yOffset);
            }
        });
    }

    /** Rows {@code [rowBegin, rowEnd)} times panels {@code [panelBegin, panelEnd)}, on the calling thread. */
    private static void multiplyBlock(float[] x, int xOffset, int rowBegin, int rowEnd, int k, PackedMatrix w,
                                      int panelBegin, int panelEnd, float[] bias, float[] y, int yOffset) {
        Workspace workspace = WORKSPACES.get();
        Epilogue out = workspace.epilogue;
        float[] rows = workspace.rows;
        int n = w.outFeatures();
        int nr = MicroKernel.NR;
        out.y = y;
        out.rowStride = n;
        out.bias = bias;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            out.accumulate = pc > 0;
            for (int ic = rowBegin; ic < rowEnd; ic += MC) {
                int mc = Math.min(MC, rowEnd - ic);
                packRows(x, xOffset + ic * k + pc, k, mc, kc, rows);
                for (int panel = panelBegin; panel < panelEnd; panel++) {
                    int bi = panel * k * nr + pc * nr;
                    out.column = panel * nr;
                    out.cols = Math.min(nr, n - out.column);
                    for (int ir = 0; ir < mc; ir += MicroKernel.MR) {
                        out.rows = Math.min(MicroKernel.MR, mc - ir);
                        out.rowOffset = yOffset + (ic + ir) * n + out.column;
                        switch (w.format()) {
                            case F32 -> MicroKernel.multiply(rows, ir * kc, w.floatPanels(), bi, kc, out.tile);
                            case BF16 -> MicroKernel.multiplyBf16(rows, ir * kc, w.halfPanels(), bi, kc, out.tile);
                            case F16 -> MicroKernel.multiplyF16(rows, ir * kc, w.halfPanels(), bi, kc, out.tile);
                        }
                        out.apply();
                    }
                }
            }
        }
        out.y = null;
        out.bias = null;
    }

    /**
     * Copies {@code mc} rows x {@code kc} columns of x (starting at {@code start}, row stride {@code k}) into
     * {@code MR}-row strips, p-major: {@code rows[strip*MR*kc + p*MR + r]}; rows of the last strip past
     * {@code mc} are zero.
     */
    private static void packRows(float[] x, int start, int k, int mc, int kc, float[] rows) {
        int mr = MicroKernel.MR;
        for (int strip = 0; strip * mr < mc; strip++) {
            int base = strip * mr * kc;
            for (int r = 0; r < mr; r++) {
                int row = strip * mr + r;
                if (row < mc) {
                    int source = start + row * k;
                    for (int p = 0; p < kc; p++) {
                        rows[base + p * mr + r] = x[source + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        rows[base + p * mr + r] = 0f;
                    }
                }
            }
        }
    }

    private static void checkArguments(float[] x, int xOffset, int m, int n, int k, float[] bias, float[] y,
                                       int yOffset) {
        if (m < 0 || xOffset < 0 || yOffset < 0) {
            throw new InputException("GEMM rows (" + m + ") and offsets (" + xOffset + ", " + yOffset
                    + ") must be non-negative");
        }
        if ((long) xOffset + (long) m * k > x.length) {
            throw new InputException("GEMM input x holds " + x.length + " floats, needs " + m + " x " + k
                    + " from offset " + xOffset);
        }
        if ((long) yOffset + (long) m * n > y.length) {
            throw new InputException("GEMM output y holds " + y.length + " floats, needs " + m + " x " + n
                    + " from offset " + yOffset);
        }
        if (bias != null && bias.length < n) {
            throw new InputException("GEMM bias holds " + bias.length + " floats, needs " + n);
        }
    }

    private static int rangeStart(int total, int parts, int part) {
        return (int) ((long) total * part / parts);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Per-thread scratch: the packed row block and the tile descriptor. */
    private static final class Workspace {
        final float[] rows = new float[MC * KC];
        final Epilogue epilogue = new Epilogue();
    }
}
