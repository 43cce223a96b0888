package dev.aperture.backend.cpu;

import dev.aperture.backend.cpu.gemm.ComputePool;
import dev.aperture.backend.cpu.gemm.Gemm;
import dev.aperture.backend.cpu.gemm.PackedMatrix;
import dev.aperture.backend.cpu.gemm.Product;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.backend.OperandChecks;
import dev.aperture.core.tensor.TensorView;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Backend} on the CPU: matrices are {@code float[]} on the Java heap, kernels use the JDK Vector API,
 * and work is split over a fixed pool of {@code threads} (the calling thread included).
 *
 * <p>Each kernel family lives in its own class ({@link Gemm}, {@link LayerNormKernel},
 * {@link ActivationKernel}, {@link RowKernels}, {@link AttentionKernel}); this class checks shapes and dispatches.
 * Thread-safe: kernels keep no state between calls, so concurrent calls on distinct output matrices are fine.
 * Found by name {@code cpu} through {@link CpuBackendProvider}.
 */
public final class CpuBackend implements Backend {
    /** The name it is selected by. */
    public static final String NAME = "cpu";
    /** A Java array's practical limit (the JDK refuses arrays within a few elements of Integer.MAX_VALUE). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

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
        return NAME;
    }

    /** Threads each operation is split over. */
    public int threads() {
        return pool.threads();
    }

    @Override
    public LinearWeights prepareLinear(TensorView weight, TensorView bias) {
        checkOpen();
        int inFeatures = OperandChecks.linearInFeatures(weight, bias, MAX_ELEMENTS);
        int outFeatures = (int) weight.dim(0);
        float[] biasValues = bias == null ? null : bias.toFloatArray();
        // The one place weights change form: rows become GEMM panels of the file's width, so F16 and BF16 weights
        // take half the memory of f32 ones (the GEMM widens them a block at a time; its cost is in RESULTS.md).
        PackedMatrix packed = pack(weight, outFeatures, inFeatures);
        // The panels now hold these weights: let the OS drop the file's pages at once instead of keeping both
        // copies resident until the file is closed (this halves peak memory while a model loads).
        if (weight.data().isMapped()) {
            weight.data().unload();
        }
        return new HostLinearWeights(this, weight.name(), packed, biasValues);
    }

    /**
     * The panels are native memory, which the JDK caps at {@code -XX:MaxDirectMemorySize} (by default the heap's
     * maximum): a model larger than that limit fails here, named, instead of with a bare OutOfMemoryError.
     */
    private static PackedMatrix pack(TensorView weight, int outFeatures, int inFeatures) {
        try {
            return PackedMatrix.packAsStored(weight.data(), weight.dtype(), outFeatures, inFeatures);
        } catch (OutOfMemoryError e) {
            throw new ResourceLimitException("No native memory left for the GEMM panels of '" + weight.name()
                    + "' [" + outFeatures + ", " + inFeatures + "] (" + e.getMessage() + "). The CPU backend keeps "
                    + "weights outside the Java heap, and the JDK limits that memory with -XX:MaxDirectMemorySize, "
                    + "which defaults to -Xmx: raise either.", e);
        }
    }

    @Override
    public Matrix upload(float[] values, int rows, int cols) {
        checkOpen();
        OperandChecks.upload(values, rows, cols, MAX_ELEMENTS, NAME);
        return new HostMatrix(this, rows, cols, values.clone());
    }

    /** Wraps {@code values} without copying: a heap array is already where this backend keeps matrices. */
    @Override
    public Matrix adopt(float[] values, int rows, int cols) {
        checkOpen();
        OperandChecks.upload(values, rows, cols, MAX_ELEMENTS, NAME);
        return new HostMatrix(this, rows, cols, values);
    }

    @Override
    public Matrix allocate(int rows, int cols) {
        checkOpen();
        OperandChecks.dimensions(rows, cols, MAX_ELEMENTS, NAME);
        return new HostMatrix(this, rows, cols, new float[rows * cols]);
    }

    @Override
    public float[] download(Matrix matrix) {
        return host(matrix, "download source").data().clone();
    }

    @Override
    public void linear(Matrix x, LinearWeights weights, Matrix out) {
        HostMatrix input = host(x, "linear input");
        HostMatrix output = host(out, "linear output");
        HostLinearWeights hostWeights = hostWeights(weights);
        OperandChecks.linear(input, hostWeights, output);
        gemm.multiply(input.data(), input.rows(), hostWeights.packed(), hostWeights.bias(), output.data());
    }

    /** The activation runs on each finished tile in the GEMM's epilogue, while the tile is in L1. */
    @Override
    public void linear(Matrix x, LinearWeights weights, Activation activation, Matrix out) {
        HostMatrix input = host(x, "linear input");
        HostMatrix output = host(out, "linear output");
        HostLinearWeights hostWeights = hostWeights(weights);
        OperandChecks.linear(input, hostWeights, output);
        gemm.multiply(input.data(), input.rows(), List.of(new Product(hostWeights.packed(), hostWeights.bias(),
                output.data(), null, ActivationKernel.kernel(activation))));
    }

    /** The residual is added in the GEMM's epilogue, as each tile is stored. */
    @Override
    public void linearAdd(Matrix x, LinearWeights weights, Matrix residual, Matrix out) {
        HostMatrix input = host(x, "linear input");
        HostMatrix addend = host(residual, "linear residual");
        HostMatrix output = host(out, "linear output");
        HostLinearWeights hostWeights = hostWeights(weights);
        OperandChecks.linearAdd(input, hostWeights, addend, output);
        gemm.multiply(input.data(), input.rows(), List.of(new Product(hostWeights.packed(), hostWeights.bias(),
                output.data(), addend.data(), null)));
    }

    /** One GEMM call for all the products: x is copied into strips once, and all panels share the threads. */
    @Override
    public void linear(Matrix x, List<LinearWeights> weights, List<Matrix> outs) {
        HostMatrix input = host(x, "linear input");
        OperandChecks.linearEach(weights, outs);
        List<Product> products = new ArrayList<>(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            HostMatrix output = host(outs.get(i), "linear output " + i);
            HostLinearWeights hostWeights = hostWeights(weights.get(i));
            OperandChecks.linear(input, hostWeights, output);
            products.add(Product.of(hostWeights.packed(), hostWeights.bias(), output.data()));
        }
        gemm.multiply(input.data(), input.rows(), products);
    }

    @Override
    public void layerNorm(Matrix x, Matrix gamma, Matrix beta, float eps, Matrix out) {
        HostMatrix input = host(x, "layer norm input");
        HostMatrix scale = host(gamma, "layer norm gamma");
        HostMatrix shift = host(beta, "layer norm beta");
        HostMatrix output = host(out, "layer norm output");
        OperandChecks.layerNorm(input, scale, shift, output);
        LayerNormKernel.normalize(pool, input.data(), input.rows(), input.cols(), scale.data(), shift.data(), eps,
                output.data());
    }

    @Override
    public void activate(Activation function, Matrix x) {
        float[] data = host(x, "activation input").data();
        ActivationKernel.apply(pool, function, data, data.length);
    }

    @Override
    public void add(Matrix x, Matrix y) {
        HostMatrix target = host(x, "add target");
        HostMatrix addend = host(y, "addend");
        OperandChecks.add(target, addend);
        RowKernels.add(pool, target.data(), addend.data(), target.rows(), target.cols());
    }

    @Override
    public void addRowsPeriodic(Matrix x, Matrix table, int period) {
        HostMatrix target = host(x, "periodic add target");
        HostMatrix rowsTable = host(table, "periodic table");
        OperandChecks.addRowsPeriodic(target, rowsTable, period);
        RowKernels.addRowsPeriodic(pool, target.data(), target.rows(), target.cols(), rowsTable.data(), period);
    }

    @Override
    public void gatherRows(Matrix source, int[] rows, Matrix out) {
        HostMatrix from = host(source, "gatherRows source");
        HostMatrix output = host(out, "gatherRows output");
        OperandChecks.gatherRows(from, rows, output);
        RowKernels.gatherRows(from.data(), from.cols(), rows, output.data());
    }

    @Override
    public void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out) {
        HostMatrix queries = host(q, "attention queries");
        HostMatrix keys = host(k, "attention keys");
        HostMatrix values = host(v, "attention values");
        HostMatrix output = host(out, "attention output");
        OperandChecks.attention(queries, keys, values, spec, output);
        AttentionKernel.attend(pool, queries.data(), keys.data(), values.data(), spec, output.data());
    }

    /** Stops the worker threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
    }

    private void checkOpen() {
        if (closed) {
            throw OperandChecks.closedBackend("CPU backend");
        }
    }

    /** {@code matrix} as one of this backend's open matrices. */
    private HostMatrix host(Matrix matrix, String role) {
        checkOpen();
        if (!(matrix instanceof HostMatrix hostMatrix) || hostMatrix.owner() != this) {
            throw OperandChecks.foreign(role, matrix, NAME);
        }
        if (hostMatrix.isClosed()) {
            throw OperandChecks.closedMatrix(role, matrix);
        }
        return hostMatrix;
    }

    private HostLinearWeights hostWeights(LinearWeights weights) {
        if (!(weights instanceof HostLinearWeights hostWeights) || hostWeights.owner() != this) {
            throw OperandChecks.foreign("linear weights", weights, NAME);
        }
        return hostWeights;
    }
}
