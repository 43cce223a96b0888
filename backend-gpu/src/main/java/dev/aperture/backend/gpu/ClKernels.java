package dev.aperture.backend.gpu;

import dev.aperture.core.BackendException;
import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;

/**
 * Launch geometry of each kernel family (the {@code .cl} files next to this class): how many work-items, in
 * which groups, with which arguments. Shapes are validated by the caller; this class only maps them to launches.
 */
final class ClKernels {
    /** Must match TILE and THREADS in linear.cl. */
    private static final int LINEAR_TILE = 32;
    private static final int LINEAR_THREADS = 8;
    /** Reductions use power-of-two groups up to this size (fits every desktop GPU and PoCL). */
    private static final int REDUCTION_GROUP = 256;
    private static final int ATTENTION_GROUP = 128;

    private final ClContext context;
    /** Stands in for a missing bias: some drivers mishandle NULL buffer arguments. */
    private final ClBuffer noBias;

    ClKernels(ClContext context) {
        this.context = context;
        this.noBias = context.createBuffer(Float.BYTES);
    }

    void linear(ClBuffer x, ClBuffer weight, ClBuffer bias, ClBuffer y, int rows, int inFeatures, int outFeatures) {
        ClLaunch launch = new ClLaunch("linear", "linear").buffer(x).buffer(weight)
                .buffer(bias != null ? bias : noBias).intArg(bias != null ? 1 : 0)
                .buffer(y).intArg(rows).intArg(inFeatures).intArg(outFeatures);
        long groupsAcross = ceilDiv(outFeatures, LINEAR_TILE);
        long groupsDown = ceilDiv(rows, LINEAR_TILE);
        context.launch(launch, new long[] {groupsAcross * LINEAR_THREADS, groupsDown * LINEAR_THREADS},
                new long[] {LINEAR_THREADS, LINEAR_THREADS});
    }

    void layerNorm(ClBuffer x, ClBuffer gamma, ClBuffer beta, float eps, ClBuffer out, int rows, int cols) {
        int group = groupSize("layer_norm", "layer_norm", REDUCTION_GROUP);
        ClLaunch launch = new ClLaunch("layer_norm", "layer_norm").buffer(x).buffer(gamma).buffer(beta)
                .floatArg(eps).buffer(out).intArg(cols).localFloats(group);
        context.launch(launch, new long[] {(long) rows * group}, new long[] {group});
    }

    void activate(Activation function, ClBuffer x, int count) {
        String kernel = switch (function) {
            case GELU -> "gelu";
            case GELU_TANH -> "gelu_tanh";
            case QUICK_GELU -> "quick_gelu";
        };
        context.launch(new ClLaunch("activation", kernel).buffer(x).intArg(count), new long[] {count}, null);
    }

    void add(ClBuffer x, ClBuffer y, int count) {
        context.launch(new ClLaunch("rows", "add").buffer(x).buffer(y).intArg(count), new long[] {count}, null);
    }

    void addRowsPeriodic(ClBuffer x, ClBuffer table, int rows, int cols, int period) {
        ClLaunch launch = new ClLaunch("rows", "add_rows_periodic").buffer(x).buffer(table)
                .intArg(rows).intArg(cols).intArg(period);
        context.launch(launch, new long[] {(long) rows * cols}, null);
    }

    void gatherRows(ClBuffer source, ClBuffer indices, ClBuffer out, int rows, int cols) {
        ClLaunch launch = new ClLaunch("rows", "gather_rows").buffer(source).buffer(indices).buffer(out)
                .intArg(rows).intArg(cols);
        context.launch(launch, new long[] {(long) rows * cols}, null);
    }

    /** {@code keyLengths} holds {@code spec.batch()} ints on the device. */
    void attention(ClBuffer q, ClBuffer k, ClBuffer v, ClBuffer out, ClBuffer keyLengths, AttentionSpec spec) {
        int group = groupSize("attention", "attention", ATTENTION_GROUP);
        long localFloats = (long) spec.headDim() + spec.seqLen() + group;
        long localBytes = localFloats * Float.BYTES;
        if (localBytes > context.device().localMemoryBytes()) {
            throw new BackendException("Attention with seqLen " + spec.seqLen() + " and headDim " + spec.headDim()
                    + " needs " + localBytes + " bytes of local memory; device " + context.device().name()
                    + " has " + context.device().localMemoryBytes());
        }
        ClLaunch launch = new ClLaunch("attention", "attention").buffer(q).buffer(k).buffer(v).buffer(out)
                .buffer(keyLengths).intArg(spec.seqLen()).intArg(spec.numHeads()).intArg(spec.headDim())
                .floatArg(spec.scale()).intArg(spec.causal() ? 1 : 0)
                .localFloats(spec.headDim()).localFloats(spec.seqLen()).localFloats(group);
        context.launch(launch, new long[] {(long) spec.seqLen() * group, spec.numHeads(), spec.batch()},
                new long[] {group, 1, 1});
    }

    void close() {
        noBias.release();
    }

    /** The largest power of two ≤ {@code cap} that the kernel and the device allow in one work-group. */
    private int groupSize(String family, String kernel, int cap) {
        long limit = Math.min(cap, Math.min(context.maxWorkGroupSize(family, kernel),
                context.device().maxWorkGroupSize()));
        return Integer.highestOneBit((int) Math.max(limit, 1));
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}
