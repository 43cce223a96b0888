package dev.aperture.backend.cpu.gemm;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Gemm#multiply} in flight: x copied into strips, the products, and the counter the threads claim
 * tasks from. Each calling thread owns one (a thread-local) and reuses it, so its buffers are allocated once.
 *
 * <p>A call runs in two phases on every participating thread: each first copies its share of x's strips,
 * then, once all shares are copied, claims tasks. Tasks form a grid of {@code rowChunks x panelChunks} over
 * the panels of all products side by side (so three projections of one x are one grid); the grid is cut along
 * the panels first (so small-m calls still split), and along the strips only when there are too few panels to
 * give every thread several.
 */
final class GemmCall implements ComputePool.Job {
    private final AtomicInteger nextTask = new AtomicInteger();
    private final AtomicInteger packedParts = new AtomicInteger();
    private float[] rows = new float[0];
    private float[] x;
    private Product[] products = new Product[0];
    /** {@code firstPanel[i]}: the grid's index of product i's first panel; one more entry ends the last. */
    private int[] firstPanel = new int[1];
    private int productCount;
    private int k;
    private int m;
    private int strips;
    private int panelChunks;
    private int rowChunks;
    private int parts;
    int tasks;

    /** Sets up the call; {@link #run} then does the work, on {@code parts} threads at once. */
    void aim(float[] x, int m, int k, List<Product> products, int targetTasks) {
        this.x = x;
        this.m = m;
        this.k = k;
        this.strips = Gemm.ceilDiv(m, MicroKernel.MR);
        int needed = Math.multiplyExact(strips * MicroKernel.MR, k);
        if (rows.length < needed) {
            rows = new float[needed];
        }
        productCount = products.size();
        if (this.products.length < productCount) {
            this.products = new Product[productCount];
            firstPanel = new int[productCount + 1];
        }
        for (int i = 0; i < productCount; i++) {
            this.products[i] = products.get(i);
            firstPanel[i + 1] = firstPanel[i] + products.get(i).weights().panelCount();
        }
        int panels = firstPanel[productCount];
        panelChunks = Math.min(panels, targetTasks);
        rowChunks = Math.min(strips, Gemm.ceilDiv(targetTasks, panelChunks));
        tasks = panelChunks * rowChunks;
        nextTask.set(0);
        packedParts.set(0);
    }

    /** Splits the call over {@code parts} threads (at most {@link #tasks}). */
    void splitInto(int parts) {
        this.parts = parts;
    }

    /** Drops the references to the caller's arrays so they are not kept alive by the thread-local. */
    void release() {
        x = null;
        java.util.Arrays.fill(products, null);
    }

    /** Copies this part's share of x, waits for the others' shares, then claims tasks until none are left. */
    @Override
    public void run(int part) {
        try {
            packRows(split(strips, parts, part), split(strips, parts, part + 1));
        } finally {
            packedParts.incrementAndGet();  // even on failure, so no other part waits forever
        }
        while (packedParts.get() < parts) {
            Thread.onSpinWait();  // the other shares take microseconds, and every part has started
        }
        for (int task = nextTask.getAndIncrement(); task < tasks; task = nextTask.getAndIncrement()) {
            int rowChunk = task / panelChunks;
            int panelChunk = task % panelChunks;
            runTask(split(strips, rowChunks, rowChunk), split(strips, rowChunks, rowChunk + 1),
                    split(firstPanel[productCount], panelChunks, panelChunk),
                    split(firstPanel[productCount], panelChunks, panelChunk + 1));
        }
    }

    /** The grid's panels {@code [begin, end)}, cut where one product's panels end and the next one's begin. */
    private void runTask(int stripBegin, int stripEnd, int begin, int end) {
        for (int i = 0; i < productCount; i++) {
            int from = Math.max(begin, firstPanel[i]);
            int to = Math.min(end, firstPanel[i + 1]);
            if (from < to) {
                Gemm.multiplyTask(rows, k, products[i], m, stripBegin, stripEnd, from - firstPanel[i],
                        to - firstPanel[i]);
            }
        }
    }

    /**
     * Copies strips {@code [begin, end)} of x's {@code m} rows (row-major, {@code k} columns) into strips of MR
     * rows, p-major: {@code rows[strip*MR*k + p*MR + r]}; rows of the last strip past m are zero.
     */
    private void packRows(int begin, int end) {
        int mr = MicroKernel.MR;
        for (int strip = begin; strip < end; strip++) {
            int base = strip * mr * k;
            for (int r = 0; r < mr; r++) {
                int row = strip * mr + r;
                if (row < m) {
                    int source = row * k;
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

    private static int split(int total, int chunks, int chunk) {
        return (int) ((long) total * chunk / chunks);
    }
}
