package dev.aperture.backend.gpu;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.backend.OperandChecks;
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
 * {@value OpenCl#DEVICE_PROPERTY}; see {@link OpenCl#listDevices()}. Found by name {@code opencl} through
 * {@link OpenClBackendProvider}.
 */
public final class OpenClBackend implements Backend {
    /** The name it is selected by. */
    public static final String NAME = "opencl";
    /** Kernels index with 32-bit ints, so a matrix holds at most 2^31 − 1 elements. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE;

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
        return NAME;
    }

    @Override
    public LinearWeights prepareLinear(TensorView weight, TensorView bias) {
        ensureOpen();
        int inFeatures = OperandChecks.linearInFeatures(weight, bias, MAX_ELEMENTS);
        int outFeatures = (int) weight.dim(0);
        ClBuffer weightBuffer = uploadFloats(weight.toFloatArray());
        ClBuffer biasBuffer = bias == null ? null : uploadFloats(bias.toFloatArray());
        return new ClLinearWeights(this, weight.name(), weightBuffer, biasBuffer, outFeatures, inFeatures);
    }

    @Override
    public Matrix upload(float[] values, int rows, int cols) {
        ensureOpen();
        OperandChecks.upload(values, rows, cols, MAX_ELEMENTS, NAME);
        return new ClMatrix(this, uploadFloats(values), rows, cols);
    }

    @Override
    public Matrix allocate(int rows, int cols) {
        ensureOpen();
        OperandChecks.dimensions(rows, cols, MAX_ELEMENTS, NAME);
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
            throw OperandChecks.foreign("linear weights", weights, NAME);
        }
        OperandChecks.linear(input, w, output);
        kernels.linear(input.buffer, w.weight(), w.bias(), output.buffer,
                input.rows(), w.inFeatures(), w.outFeatures());
    }

    @Override
    public void layerNorm(Matrix x, Matrix gamma, Matrix beta, float eps, Matrix out) {
        ClMatrix input = own(x, "layer norm input");
        ClMatrix scale = own(gamma, "layer norm gamma");
        ClMatrix shift = own(beta, "layer norm beta");
        ClMatrix output = own(out, "layer norm output");
        OperandChecks.layerNorm(input, scale, shift, output);
        kernels.layerNorm(input.buffer, scale.buffer, shift.buffer, eps, output.buffer, input.rows(), input.cols());
    }

    @Override
    public void activate(Activation function, Matrix x) {
        ClMatrix target = own(x, "activation input");
        kernels.activate(function, target.buffer, target.elementCount());
    }

    @Override
    public void add(Matrix x, Matrix y) {
        ClMatrix target = own(x, "add target");
        ClMatrix addend = own(y, "addend");
        OperandChecks.add(target, addend);
        kernels.add(target.buffer, addend.buffer, target.elementCount());
    }

    @Override
    public void addRowsPeriodic(Matrix x, Matrix table, int period) {
        ClMatrix target = own(x, "periodic add target");
        ClMatrix rowsTable = own(table, "periodic table");
        OperandChecks.addRowsPeriodic(target, rowsTable, period);
        kernels.addRowsPeriodic(target.buffer, rowsTable.buffer, target.rows(), target.cols(), period);
    }

    @Override
    public void gatherRows(Matrix source, int[] rows, Matrix out) {
        ClMatrix from = own(source, "gatherRows source");
        ClMatrix output = own(out, "gatherRows output");
        OperandChecks.gatherRows(from, rows, output);
        if (rows.length == 0 || from.cols() == 0) {
            return;   // nothing to copy (and OpenCL rejects an empty index buffer)
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
        ClMatrix query = own(q, "attention queries");
        ClMatrix key = own(k, "attention keys");
        ClMatrix value = own(v, "attention values");
        ClMatrix output = own(out, "attention output");
        OperandChecks.attention(query, key, value, spec, output);
        int[] keyLengths = new int[spec.batch()];
        for (int b = 0; b < spec.batch(); b++) {
            keyLengths[b] = spec.keyLength(b);   // within [0, seqLen]: AttentionSpec checks
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

    /** {@code matrix} as one of this backend's open matrices. */
    private ClMatrix own(Matrix matrix, String role) {
        ensureOpen();
        if (!(matrix instanceof ClMatrix clMatrix) || clMatrix.owner != this) {
            throw OperandChecks.foreign(role, matrix, NAME);
        }
        if (clMatrix.buffer.isReleased()) {
            throw OperandChecks.closedMatrix(role, matrix);
        }
        return clMatrix;
    }

    private void ensureOpen() {
        if (closed) {
            throw OperandChecks.closedBackend(description());
        }
    }

    /** "OpenCL backend on <device>", for messages. */
    String description() {
        return "OpenCL backend on " + device().name();
    }
}
