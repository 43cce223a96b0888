package dev.aperture.models;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.TensorView;

import java.util.concurrent.atomic.AtomicInteger;

/** A backend that counts the matrices a model creates and the downloads it makes, and delegates everything. */
public final class CountingBackend implements Backend {
    private final Backend delegate;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger downloads = new AtomicInteger();

    public CountingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** Matrices allocated, uploaded or adopted since the last {@link #reset()}. */
    public int created() {
        return created.get();
    }

    /** Downloads since the last {@link #reset()}. */
    public int downloads() {
        return downloads.get();
    }

    public void reset() {
        created.set(0);
        downloads.set(0);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public LinearWeights prepareLinear(TensorView weight, TensorView bias) {
        return delegate.prepareLinear(weight, bias);
    }

    @Override
    public Matrix upload(float[] values, int rows, int cols) {
        created.incrementAndGet();
        return delegate.upload(values, rows, cols);
    }

    @Override
    public Matrix adopt(float[] values, int rows, int cols) {
        created.incrementAndGet();
        return delegate.adopt(values, rows, cols);
    }

    @Override
    public Matrix allocate(int rows, int cols) {
        created.incrementAndGet();
        return delegate.allocate(rows, cols);
    }

    @Override
    public float[] download(Matrix matrix) {
        downloads.incrementAndGet();
        return delegate.download(matrix);
    }

    @Override
    public void linear(Matrix x, LinearWeights weights, Matrix out) {
        delegate.linear(x, weights, out);
    }

    @Override
    public void layerNorm(Matrix x, Matrix gamma, Matrix beta, float eps, Matrix out) {
        delegate.layerNorm(x, gamma, beta, eps, out);
    }

    @Override
    public void activate(Activation function, Matrix x) {
        delegate.activate(function, x);
    }

    @Override
    public void add(Matrix x, Matrix y) {
        delegate.add(x, y);
    }

    @Override
    public void addRowsPeriodic(Matrix x, Matrix table, int period) {
        delegate.addRowsPeriodic(x, table, period);
    }

    @Override
    public void gatherRows(Matrix source, int[] rows, Matrix out) {
        delegate.gatherRows(source, rows, out);
    }

    @Override
    public void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out) {
        delegate.attention(q, k, v, spec, out);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
