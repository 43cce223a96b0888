package dev.aperture.backend.gpu;

import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.tensor.TensorView;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Backend} on an OpenCL 1.2 device (a GPU, or a CPU through PoCL), in float32.
 *
 * <p>Weights are uploaded once by {@link #prepareLinear} (F16/BF16 widened to float32 on the host); matrices are
 * device buffers, so activations stay on the device between operations and {@link #download} is the only read
 * back. Operations are queued without waiting; the in-order queue runs them in call order. Thread-safe: one lock
 * guards the command queue.
 *
 * <p>Pick the device with {@link #OpenClBackend(String)} or the system property
 * {@value OpenCl#DEVICE_PROPERTY}; see {@link OpenCl#listDevices()}.
 */
public final class OpenClBackend implements Backend {
    private final ClContext context;
    private final ClKernels kernels;
    /** Every buffer still held, so {@link #close()} frees what callers did not. */
    private final Set<ClBuffer> liveBuffers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * A backend on the device named by {@value OpenCl#DEVICE_PROPERTY} (or the {@value OpenCl#DEVICE_ENVIRONMENT}
     * environment variable); without either, the first GPU, else the first device.
     *
     * @throws OpenClUnavailableException when OpenCL is absent or no device matches (the message says why)
     */
    public OpenClBackend() {
        this(OpenCl.configuredSelector());
    }

    /**
     * A backend on the device {@code deviceSelector} names: {@code null} for automatic, an index of
     * {@link OpenCl#listDevices()}, {@code gpu}/{@code cpu}/{@code accelerator}, or a substring of the device,
     * vendor or platform name (case-insensitive).
     *
     * @throws OpenClUnavailableException when OpenCL is absent or no device matches (the message says why)
     */
    public OpenClBackend(String deviceSelector) {
        ClApi api = OpenCl.api();
        this.context = new ClContext(api, OpenCl.select(deviceSelector));
        try {
            this.kernels = new ClKernels(context);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Whether an OpenCL device can be used here; {@link OpenCl#probe()} says why not. */
    public static boolean isAvailable() {
        return OpenCl.probe().available();
    }

    /** The device this backend runs on. */
    public OpenClDevice device() {
        return context.device();
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public LinearWeights prepareLinear(TensorView weight, TensorView bias) {
        ensureOpen();
        if (weight.rank() < 2 || weight.dim(0) == 0) {
            throw new ModelMismatchException("Linear weight '" + weight.name() + "' must be [out, in, ...], got "
                    + weight);
        }
        int outFeatures = Math.toIntExact(weight.dim(0));
        int inFeatures = Math.toIntExact(weight.elementCount() / outFeatures);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != outFeatures)) {
            throw new ModelMismatchException("Bias '" + bias.name() + "' must be [" + outFeatures + "] to match '"
                    + weight.name() + "', got " + bias);
        }
        ClBuffer weightBuffer = uploadFloats(weight.toFloatArray());
        ClBuffer biasBuffer = bias == null ? null : uploadFloats(bias.toFloatArray());
        return new ClLinearWeights(this, weight.name(), weightBuffer, biasBuffer, outFeatures, inFeatures);
    }

    @Override
    public Matrix upload(float[] values, int rows, int cols) {
        ensureOpen();
        checkShape(rows, cols);
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException("upload of " + values.length + " values into a " + rows + "×" + cols
                    + " matrix");
        }
        return new ClMatrix(this, uploadFloats(values), rows, cols);
    }

    @Override
    public Matrix allocate(int rows, int cols) {
        ensureOpen();
        checkShape(rows, cols);
        return new ClMatrix(this, track(context.createBuffer((long) rows * cols * Float.BYTES)), rows, cols);
    }

    @Override
    public float[] download(Matrix matrix) {
        ClMatrix source = own(matrix, "download source");
        return context.readFloats(source.buffer, source.elementCount());
    }

    @Override
    public void linear(Matrix x, LinearWeights weights, Matrix out) {
        ClMatrix input = own(x, "linear input");
        ClMatrix output = own(out, "linear output");
        if (!(weights instanceof ClLinearWeights w) || w.owner() != this) {
            throw new IllegalArgumentException("linear weights were not prepared by this OpenCL backend");
        }
        if (input.cols() != w.inFeatures() || output.rows() != input.rows() || output.cols() != w.outFeatures()) {
            throw new IllegalArgumentException("linear '" + w.name() + "' [" + w.outFeatures() + ", "
                    + w.inFeatures() + "] cannot map " + shape(input) + " to " + shape(output));
        }
        kernels.linear(input.buffer, w.weight(), w.bias(), output.buffer,
                input.rows(), w.inFeatures(), w.outFeatures());
    }

    @Override
    public void layerNorm(Matrix x, Matrix gamma, Matrix beta, float eps, Matrix out) {
        ClMatrix input = own(x, "layerNorm input");
        ClMatrix scale = own(gamma, "layerNorm gamma");
        ClMatrix shift = own(beta, "layerNorm beta");
        ClMatrix output = own(out, "layerNorm output");
        requireSameShape(input, output, "layerNorm output");
        int cols = input.cols();
        if (scale.elementCount() != cols || shift.elementCount() != cols) {
            throw new IllegalArgumentException("layerNorm gamma " + shape(scale) + " and beta " + shape(shift)
                    + " must be [1, " + cols + "]");
        }
        kernels.layerNorm(input.buffer, scale.buffer, shift.buffer, eps, output.buffer, input.rows(), cols);
    }

    @Override
    public void activate(Activation function, Matrix x) {
        ClMatrix target = own(x, "activation input");
        kernels.activate(function, target.buffer, target.elementCount());
    }

    @Override
    public void add(Matrix x, Matrix y) {
        ClMatrix target = own(x, "add target");
        ClMatrix addend = own(y, "add operand");
        requireSameShape(target, addend, "add operand");
        kernels.add(target.buffer, addend.buffer, target.elementCount());
    }

    @Override
    public void addRowsPeriodic(Matrix x, Matrix table, int period) {
        ClMatrix target = own(x, "addRowsPeriodic target");
        ClMatrix rowsTable = own(table, "addRowsPeriodic table");
        if (period <= 0 || rowsTable.rows() < period || rowsTable.cols() != target.cols()) {
            throw new IllegalArgumentException("addRowsPeriodic needs a table of at least " + period + " rows × "
                    + target.cols() + " columns and period > 0, got table " + shape(rowsTable) + ", period " + period);
        }
        kernels.addRowsPeriodic(target.buffer, rowsTable.buffer, target.rows(), target.cols(), period);
    }

    @Override
    public void gatherRows(Matrix source, int[] rows, Matrix out) {
        ClMatrix from = own(source, "gatherRows source");
        ClMatrix output = own(out, "gatherRows output");
        if (output.rows() != rows.length || output.cols() != from.cols()) {
            throw new IllegalArgumentException("gatherRows of " + rows.length + " rows from " + shape(from)
                    + " cannot fill " + shape(output));
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= from.rows()) {
                throw new InputException("gatherRows index " + i + " is row " + rows[i] + ", outside the "
                        + from.rows() + " rows of the source (a token id beyond the vocabulary?)");
            }
        }
        ClBuffer indices = uploadInts(rows);
        try {
            kernels.gatherRows(from.buffer, indices, output.buffer, output.rows(), output.cols());
        } finally {
            release(indices);   // deferred by OpenCL until the kernel has run
        }
    }

    @Override
    public void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out) {
        ClMatrix query = own(q, "attention q");
        ClMatrix key = own(k, "attention k");
        ClMatrix value = own(v, "attention v");
        ClMatrix output = own(out, "attention output");
        long rows = (long) spec.batch() * spec.seqLen();
        long width = (long) spec.numHeads() * spec.headDim();
        for (ClMatrix m : new ClMatrix[] {query, key, value, output}) {
            if (m.rows() != rows || m.cols() != width) {
                throw new IllegalArgumentException("attention expects [" + rows + ", " + width + "] matrices for "
                        + spec + ", got " + shape(m));
            }
        }
        int[] keyLengths = new int[spec.batch()];
        for (int b = 0; b < spec.batch(); b++) {
            keyLengths[b] = spec.keyLength(b);
            if (keyLengths[b] < 0 || keyLengths[b] > spec.seqLen()) {
                throw new InputException("attention key length " + keyLengths[b] + " of sequence " + b
                        + " is outside [0, " + spec.seqLen() + "]");
            }
        }
        ClBuffer lengths = uploadInts(keyLengths);
        try {
            kernels.attention(query.buffer, key.buffer, value.buffer, output.buffer, lengths, spec);
        } finally {
            release(lengths);
        }
    }

    /** Frees every buffer this backend still holds, its kernels and its context. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // First, under the queue lock: waits for queued work and turns away every later call.
            context.close();
        } finally {
            // Buffers keep the driver's context alive until they are released, so this order is valid.
            for (ClBuffer buffer : liveBuffers) {
                buffer.release();
            }
            liveBuffers.clear();
            kernels.close();
        }
    }

    /** Releases one buffer early (a closed matrix, a temporary). */
    void release(ClBuffer buffer) {
        if (liveBuffers.remove(buffer)) {
            buffer.release();
        }
    }

    /** Compiles {@code source} as a program named {@code name}; for tests of build-failure reporting. */
    void buildProgram(String name, String source) {
        ensureOpen();
        context.buildForTest(name, source);
    }

    private ClBuffer uploadFloats(float[] values) {
        ensureOpen();
        ClBuffer buffer = track(context.createBuffer((long) values.length * Float.BYTES));
        context.write(buffer, values);
        return buffer;
    }

    private ClBuffer uploadInts(int[] values) {
        ensureOpen();
        ClBuffer buffer = track(context.createBuffer((long) values.length * Integer.BYTES));
        context.write(buffer, values);
        return buffer;
    }

    private ClBuffer track(ClBuffer buffer) {
        liveBuffers.add(buffer);
        return buffer;
    }

    private ClMatrix own(Matrix matrix, String role) {
        ensureOpen();
        if (!(matrix instanceof ClMatrix clMatrix) || clMatrix.owner != this) {
            throw new IllegalArgumentException(role + " " + matrix + " was not made by this OpenCL backend");
        }
        if (clMatrix.buffer.isReleased()) {
            throw new IllegalStateException(role + " " + matrix + " is closed");
        }
        return clMatrix;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("OpenCL backend on " + device().name() + " is closed");
        }
    }

    /** Kernels index with 32-bit ints, so a matrix holds at most 2^31 − 1 elements. */
    private static void checkShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("Matrix dimensions must be non-negative: " + rows + "×" + cols);
        }
        if ((long) rows * cols > Integer.MAX_VALUE) {
            throw new ResourceLimitException("A " + rows + "×" + cols + " matrix exceeds the OpenCL backend's limit"
                    + " of " + Integer.MAX_VALUE + " elements");
        }
    }

    private static void requireSameShape(ClMatrix expected, ClMatrix actual, String role) {
        if (expected.rows() != actual.rows() || expected.cols() != actual.cols()) {
            throw new IllegalArgumentException(role + " is " + shape(actual) + ", expected " + shape(expected));
        }
    }

    private static String shape(Matrix m) {
        return "[" + m.rows() + ", " + m.cols() + "]";
    }
}
