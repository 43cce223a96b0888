package dev.aperture.backend.cpu;

import dev.aperture.backend.cpu.gemm.ComputePool;
import dev.aperture.backend.cpu.gemm.Gemm;
import dev.aperture.backend.cpu.gemm.PackedMatrix;
import dev.aperture.core.BackendException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.TensorView;

import java.util.Arrays;

/**
 * The {@link Backend} on the CPU: matrices are {@code float[]} on the Java heap, kernels use the JDK Vector API,
 * and work is split over a fixed pool of {@code threads} (the calling thread included).
 *
 * <p>Each kernel family lives in its own class ({@link Gemm}, {@link LayerNormKernel},
 * {@link ActivationKernel}, {@link RowKernels}, {@link AttentionKernel}); this class checks shapes and dispatches.
 * Thread-safe: kernels keep no state between calls, so concurrent calls on distinct output matrices are fine.
 */
public final class CpuBackend implements Backend {
    private final WorkerPool pool;
    private final Gemm gemm;
    private volatile boolean closed;

    /** A backend using every available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A backend splitting each operation over {@code threads} threads (at least 1). */
    public CpuBackend(int threads) {
        ComputePool threadsOfThisBackend = new ComputePool(threads);
        this.pool = new WorkerPool(threadsOfThisBackend);
        this.gemm = new Gemm(threadsOfThisBackend, threads);
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** Threads each operation is split over. */
    public int threads() {
        return pool.threads();
    }

    @Override
    public LinearWeights prepareLinear(TensorView weight, TensorView bias) {
        checkOpen();
        if (weight.rank() < 2) {
            throw new ModelMismatchException("Tensor '" + weight.name() + "' has shape " + Arrays.toString(weight.shape())
                    + ", expected a matrix [out, in] (or [out, ...] for a convolution kernel)");
        }
        long outFeatures = weight.dim(0);
        long inFeatures = weight.elementCount() / Math.max(1, outFeatures);
        if (outFeatures <= 0 || inFeatures <= 0 || outFeatures * inFeatures > Integer.MAX_VALUE - 8) {
            throw new ModelMismatchException("Tensor '" + weight.name() + "' has unusable shape "
                    + Arrays.toString(weight.shape()) + " for a linear layer");
        }
        float[] biasValues = null;
        if (bias != null) {
            if (bias.rank() != 1 || bias.dim(0) != outFeatures) {
                throw new ModelMismatchException("Tensor '" + bias.name() + "' has shape " + Arrays.toString(bias.shape())
                        + ", expected [" + outFeatures + "] to match '" + weight.name() + "'");
            }
            biasValues = bias.toFloatArray();
        }
        // The one place weights change form: F32/F16/BF16 rows become float32 GEMM panels.
        PackedMatrix packed = PackedMatrix.pack(weight.data(), weight.dtype(), (int) outFeatures, (int) inFeatures);
        // The panels now hold these weights: let the OS drop the file's pages at once instead of keeping both
        // copies resident until the file is closed (this halves peak memory while a model loads).
        if (weight.data().isMapped()) {
            weight.data().unload();
        }
        return new HostLinearWeights(packed, biasValues);
    }

    @Override
    public Matrix upload(float[] values, int rows, int cols) {
        checkOpen();
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values for a " + rows + " x " + cols + " matrix");
        }
        return new HostMatrix(rows, cols, values.clone());
    }

    /** Wraps {@code values} without copying: a heap array is already where this backend keeps matrices. */
    @Override
    public Matrix adopt(float[] values, int rows, int cols) {
        checkOpen();
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values for a " + rows + " x " + cols + " matrix");
        }
        return new HostMatrix(rows, cols, values);
    }

    @Override
    public Matrix allocate(int rows, int cols) {
        checkOpen();
        if (rows <= 0 || cols <= 0 || (long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cannot allocate a " + rows + " x " + cols + " matrix");
        }
        return new HostMatrix(rows, cols, new float[rows * cols]);
    }

    @Override
    public float[] download(Matrix matrix) {
        return host(matrix).data().clone();
    }

    @Override
    public void linear(Matrix x, LinearWeights weights, Matrix out) {
        checkOpen();
        HostLinearWeights hostWeights = hostWeights(weights);
        requireCols(x, hostWeights.inFeatures(), "linear input");
        requireShape(out, x.rows(), hostWeights.outFeatures(), "linear output");
        gemm.multiply(host(x).data(), x.rows(), hostWeights.packed(), hostWeights.bias(), host(out).data());
    }

    @Override
    public void layerNorm(Matrix x, Matrix gamma, Matrix beta, float eps, Matrix out) {
        checkOpen();
        requireShape(gamma, 1, x.cols(), "layer norm gamma");
        requireShape(beta, 1, x.cols(), "layer norm beta");
        requireShape(out, x.rows(), x.cols(), "layer norm output");
        LayerNormKernel.normalize(pool, host(x).data(), x.rows(), x.cols(), host(gamma).data(), host(beta).data(),
                eps, host(out).data());
    }

    @Override
    public void activate(Activation function, Matrix x) {
        checkOpen();
        float[] data = host(x).data();
        ActivationKernel.apply(pool, function, data, data.length);
    }

    @Override
    public void add(Matrix x, Matrix y) {
        checkOpen();
        requireShape(y, x.rows(), x.cols(), "addend");
        RowKernels.add(pool, host(x).data(), host(y).data(), x.rows(), x.cols());
    }

    @Override
    public void addRowsPeriodic(Matrix x, Matrix table, int period) {
        checkOpen();
        if (period <= 0 || period > table.rows()) {
            throw new IllegalArgumentException("Period " + period + " for a table of " + table.rows() + " rows");
        }
        requireCols(table, x.cols(), "periodic table");
        RowKernels.addRowsPeriodic(pool, host(x).data(), x.rows(), x.cols(), host(table).data(), period);
    }

    @Override
    public void gatherRows(Matrix source, int[] rows, Matrix out) {
        checkOpen();
        requireShape(out, rows.length, source.cols(), "gathered rows");
        for (int row : rows) {
            if (row < 0 || row >= source.rows()) {
                throw new IllegalArgumentException("Row " + row + " outside a matrix of " + source.rows() + " rows");
            }
        }
        RowKernels.gatherRows(host(source).data(), source.cols(), rows, host(out).data());
    }

    @Override
    public void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out) {
        checkOpen();
        int rows = spec.batch() * spec.seqLen();
        int cols = spec.numHeads() * spec.headDim();
        requireShape(q, rows, cols, "attention queries");
        requireShape(k, rows, cols, "attention keys");
        requireShape(v, rows, cols, "attention values");
        requireShape(out, rows, cols, "attention output");
        AttentionKernel.attend(pool, host(q).data(), host(k).data(), host(v).data(), spec, host(out).data());
    }

    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new BackendException("The CPU backend is closed");
        }
    }

    private static HostMatrix host(Matrix matrix) {
        if (matrix instanceof HostMatrix hostMatrix) {
            return hostMatrix;
        }
        throw new IllegalArgumentException("Not a CPU backend matrix: " + matrix);
    }

    private static HostLinearWeights hostWeights(LinearWeights weights) {
        if (weights instanceof HostLinearWeights hostWeights) {
            return hostWeights;
        }
        throw new IllegalArgumentException("Weights were not prepared by the CPU backend: " + weights);
    }

    private static void requireCols(Matrix matrix, int cols, String role) {
        if (matrix.cols() != cols) {
            throw new IllegalArgumentException("The " + role + " has " + matrix.cols() + " columns, expected " + cols);
        }
    }

    private static void requireShape(Matrix matrix, int rows, int cols, String role) {
        if (matrix.rows() != rows || matrix.cols() != cols) {
            throw new IllegalArgumentException("The " + role + " is " + matrix.rows() + " x " + matrix.cols()
                    + ", expected " + rows + " x " + cols);
        }
    }
}
