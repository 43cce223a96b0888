package dev.aperture.models.transformer;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

/**
 * The state of one forward pass through an encoder (llama3.java's {@code State}): every activation matrix it
 * writes, allocated once for the batch's shape and reused by every layer, and the call's {@link ActivationTap}.
 *
 * <p>For {@code rows = batch·seqLen} that is seven {@code [rows, hidden]} matrices and one
 * {@code [rows, intermediate]}: at ViT-B/32 with 32 images, 1,600 rows, 7·4.9 MB + 19.7 MB = 54 MB per call,
 * whatever the number of layers. Each matrix is overwritten whole before it is read, so none needs clearing.
 *
 * <p>One call, one instance: it is what lets concurrent calls on one model run without sharing mutable state.
 * Not thread-safe itself; close it when the call ends (on a GPU that frees the device buffers).
 */
public final class Activations implements AutoCloseable {
    private final SequenceLayout layout;
    private final ActivationTap tap;
    private final Matrix hidden;
    private final Matrix normalized;
    private final Matrix sublayerOutput;
    private final Matrix query;
    private final Matrix key;
    private final Matrix value;
    private final Matrix context;
    private final Matrix intermediate;

    Activations(Backend backend, EncoderConfig config, SequenceLayout layout, ActivationTap tap) {
        this.layout = layout;
        this.tap = tap;
        int rows = layout.rows();
        int width = config.hiddenSize();
        hidden = backend.allocate(rows, width);
        normalized = backend.allocate(rows, width);
        sublayerOutput = backend.allocate(rows, width);
        query = backend.allocate(rows, width);
        key = backend.allocate(rows, width);
        value = backend.allocate(rows, width);
        context = backend.allocate(rows, width);
        intermediate = backend.allocate(rows, config.intermediateSize());
    }

    public SequenceLayout layout() {
        return layout;
    }

    /** Reports {@code activation} to this call's tap under {@code name}. */
    public void tap(String name, Matrix activation) {
        tap.tap(name, activation);
    }

    /** h, the residual stream: the encoder's input, updated in place by each block, and its output. */
    public Matrix hidden() {
        return hidden;
    }

    /** A layer norm's output: a pre-norm block's sublayer input, or a tower's final norm. */
    public Matrix normalized() {
        return normalized;
    }

    /**
     * A sublayer's result: attention's or the MLP's output plus the residual stream (a pre-norm block's stream
     * between its two sublayers), or, with post-norm, that sum before its layer norm.
     */
    public Matrix sublayerOutput() {
        return sublayerOutput;
    }

    /**
     * Where a model sums its embeddings before their layer norm makes them {@link #hidden()}. The same matrix as
     * {@link #sublayerOutput()}, which no block needs until the embeddings have been normalized.
     */
    public Matrix embeddings() {
        return sublayerOutput;
    }

    /** Attention's query projections. */
    public Matrix query() {
        return query;
    }

    /** Attention's key projections. */
    public Matrix key() {
        return key;
    }

    /** Attention's value projections. */
    public Matrix value() {
        return value;
    }

    /** Attention's per-head outputs, concatenated: the input of its output projection. */
    public Matrix context() {
        return context;
    }

    /** The MLP's widened rows ({@code [rows, intermediate_size]}). */
    public Matrix intermediate() {
        return intermediate;
    }

    @Override
    public void close() {
        for (Matrix matrix : new Matrix[]{hidden, normalized, sublayerOutput, query, key, value, context,
                intermediate}) {
            matrix.close();
        }
    }
}
