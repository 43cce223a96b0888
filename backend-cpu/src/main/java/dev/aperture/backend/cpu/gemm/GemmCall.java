package dev.aperture.backend.cpu.gemm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Gemm#multiply} in flight: x copied into strips, the arguments, and the counter the threads
 * claim tasks from. Each calling thread owns one (a thread-local) and reuses it, so a call allocates nothing.
 *
 * <p>Tasks form a grid of {@code rowChunks x panelChunks}; the grid is cut along the panels first (so small-m
 * calls still split), and along the strips only when there are too few panels to give every thread several.
 */
final class GemmCall implements ComputePool.Job {
    private final AtomicInteger nextTask = new AtomicInteger();
    private float[] rows = new float[0];
    private PackedMatrix w;
    private float[] bias;
    private float[] y;
    private int yOffset;
    private int m;
    private int strips;
    private int panelChunks;
    private int rowChunks;
    int tasks;

    /**
     * Copies x's {@code m} rows (row-major, {@code k} columns from {@code xOffset}) into strips of MR rows,
     * p-major: {@code rows[strip*MR*k + p*MR + r]}; rows of the last strip past m are zero.
     */
    void packRows(float[] x, int xOffset, int m, int k, int strips) {
        int mr = MicroKernel.MR;
        int needed = Math.multiplyExact(strips * mr, k);
        if (rows.length < needed) {
            rows = new float[needed];
        }
        for (int strip = 0; strip < strips; strip++) {
            int base = strip * mr * k;
            for (int r = 0; r < mr; r++) {
                int row = strip * mr + r;
                if (row < m) {
                    int source = xOffset + row * k;
                    for (int p = 0; p < k; p++) {
                        rows[base + p * mr + r] = x[source + p];
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        rows[base + p * mr + r] = 0f;
                    }
                }
            }
        }
    }

    void aim(PackedMatrix w, float[] bias, float[] y, int yOffset, int m, int strips, int targetTasks) {
        this.w = w;
        this.bias = bias;
        this.y = y;
        this.yOffset = yOffset;
        this.m = m;
        this.strips = strips;
        int panels = w.panelCount();
        panelChunks = Math.min(panels, targetTasks);
        rowChunks = Math.min(strips, Gemm.ceilDiv(targetTasks, panelChunks));
        tasks = panelChunks * rowChunks;
        nextTask.set(0);
    }

    /** Drops the references to the caller's arrays so they are not kept alive by the thread-local. */
    void release() {
        w = null;
        bias = null;
        y = null;
    }

    /** Claims and runs tasks until none are left; every participating thread runs this. */
    @Override
    public void run(int part) {
        int panels = w.panelCount();
        for (int task = nextTask.getAndIncrement(); task < tasks; task = nextTask.getAndIncrement()) {
            int rowChunk = task / panelChunks;
            int panelChunk = task % panelChunks;
            Gemm.multiplyTask(rows, w.inFeatures(), w, bias, y, yOffset, m,
                    split(strips, rowChunks, rowChunk), split(strips, rowChunks, rowChunk + 1),
                    split(panels, panelChunks, panelChunk), split(panels, panelChunks, panelChunk + 1));
        }
    }

    private static int split(int total, int chunks, int chunk) {
        return (int) ((long) total * chunk / chunks);
    }
}
