package dev.aperture.core.backend;

import dev.aperture.core.BackendException;
import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.tensor.TensorView;
import java.util.List;

/**
 * The tensor-level operations a model is written against, so one model runs on any backend (CPU, OpenCL).
 *
 * <p>Everything is a row-major float32 {@link Matrix} of {@code rows × cols}; a batch of sequences is stacked
 * as {@code batch·seqLen} rows. Weights change form in exactly one place, {@link #prepareLinear}; activations
 * live in matrices the backend allocates and stay there between operations (on a GPU: on the device) until
 * {@link #download}.
 *
 * <p>Implementations are thread-safe: several calls may run at once as long as they write distinct matrices.
 * A backend owns the memory of what it prepared; {@link #close()} releases it. Backends are found by name through
 * {@link BackendProviders}.
 *
 * <p><b>Faults.</b> Every backend reports the same fault with the same exception, all rooted in
 * {@link dev.aperture.core.ApertureException} (the shared contract suite, core's test-jar class
 * {@code BackendContractTest}, checks each):
 * <ul>
 *   <li>{@link InputException}: the call is wrong, whatever the backend. Shapes that do not fit the operation or
 *       each other, a value count that does not match the shape, negative dimensions, a gathered row outside the
 *       source, a period outside the table, a matrix or weights made by another backend, a closed matrix, and
 *       any call on a closed backend (as for a closed model: using something after closing it is the caller's
 *       error). The message names the operand ("linear output", "gatherRows index 1") and says "closed" for the
 *       last two.</li>
 *   <li>{@link ModelMismatchException}: {@link #prepareLinear} was given tensors that cannot be a linear layer
 *       (rank below 2, a bias that does not match the weight); the message names the tensor.</li>
 *   <li>{@link ResourceLimitException}: a matrix larger than the backend can address (CPU: a Java array;
 *       OpenCL: 2<sup>31</sup> − 1 elements), refused before allocating.</li>
 *   <li>{@link BackendException}: the call was right but the backend failed (a driver error, a kernel that did
 *       not build, device memory exhausted).</li>
 * </ul>
 * Matrices may be empty (zero rows or columns); operations on them do nothing. Closing while other threads are
 * still calling is the owner's to prevent (models do it under their lifecycle lock).
 */
public interface Backend extends AutoCloseable {

    /** The name models and the CLI select it by, e.g. {@code "cpu"} or {@code "opencl"}. */
    String name();

    /**
     * Prepares {@code y = x·Wᵀ + b} for {@link #linear}. {@code weight} is {@code [out, in]}, or {@code [out, ...]}
     * with the trailing dimensions flattened into {@code in} (a convolution kernel used as a matmul).
     * F32, F16 and BF16 are accepted; computation is float32.
     *
     * @param bias {@code [out]}, or {@code null} for none
     */
    LinearWeights prepareLinear(TensorView weight, TensorView bias);

    /**
     * Copies host values ({@code rows·cols}, row-major) into a new matrix: inputs and constant tables. Later changes
     * to {@code values} do not reach the matrix.
     */
    Matrix upload(float[] values, int rows, int cols);

    /**
     * As {@link #upload}, for values built only to be uploaded (image patches): the backend may keep {@code values}
     * itself instead of a copy, so the caller must not touch the array afterwards. The CPU backend keeps it.
     */
    default Matrix adopt(float[] values, int rows, int cols) {
        return upload(values, rows, cols);
    }

    /** A new matrix; its contents are unspecified until written. */
    Matrix allocate(int rows, int cols);

    /** The matrix's values, row-major, copied to the host (a new array), after every operation called before. */
    float[] download(Matrix matrix);

    /** {@code out = x·Wᵀ + b}; {@code x} is {@code [n, in]}, {@code out} is {@code [n, out]}. */
    void linear(Matrix x, LinearWeights weights, Matrix out);

    /**
     * {@code out = activation(x·Wᵀ + b)}: a linear layer and the activation that follows it (an MLP's first
     * projection), with the same result as {@link #linear} then {@link #activate}. The CPU backend applies the
     * activation to each finished tile of the product while it is still in cache, instead of in another pass.
     */
    default void linear(Matrix x, LinearWeights weights, Activation activation, Matrix out) {
        linear(x, weights, out);
        activate(activation, out);
    }

    /**
     * {@code out = x·Wᵀ + b + residual}: a projection joining the residual stream, with the same result as
     * {@link #linear} then {@link #add}. {@code residual} has out's shape and is another matrix; the CPU backend
     * adds it as each tile of the product is stored.
     */
    default void linearAdd(Matrix x, LinearWeights weights, Matrix residual, Matrix out) {
        OperandChecks.linearAdd(x, weights, residual, out);
        linear(x, weights, out);
        add(out, residual);
    }

    /**
     * {@code outs[i] = x·Wᵢᵀ + bᵢ} for every i: several layers reading one input (attention's query, key and
     * value projections), with the same results as one {@link #linear} each. The CPU backend prepares x once
     * and splits all the products over its threads together.
     */
    default void linear(Matrix x, List<LinearWeights> weights, List<Matrix> outs) {
        OperandChecks.linearEach(weights, outs);
        for (int i = 0; i < weights.size(); i++) {
            linear(x, weights.get(i), outs.get(i));
        }
    }

    /** Layer norm over each row: {@code out = (x − mean) / sqrt(var + eps) · gamma + beta}; gamma, beta are {@code [1, cols]}. */
    void layerNorm(Matrix x, Matrix gamma, Matrix beta, float eps, Matrix out);

    /** Applies {@code function} element-wise, in place. */
    void activate(Activation function, Matrix x);

    /** {@code x += y}, element-wise; same shape (a residual connection). */
    void add(Matrix x, Matrix y);

    /** {@code x[r] += table[r mod period]} for every row r: position embeddings added to each sequence of a batch. */
    void addRowsPeriodic(Matrix x, Matrix table, int period);

    /** {@code out[i] = source[rows[i]]}: token-embedding lookup, or picking the pooled row of each sequence. */
    void gatherRows(Matrix source, int[] rows, Matrix out);

    /**
     * Multi-head scaled dot-product attention: per sequence and head,
     * {@code out = softmax(scale · q·kᵀ + mask) · v}. q, k, v and out are {@code [batch·seqLen, numHeads·headDim]},
     * head h in columns {@code [h·headDim, (h+1)·headDim)}. Masked keys get weight exactly zero. A query that sees
     * no key at all (a sequence of key length 0) gets, as in PyTorch, where every score is then {@code finfo.min},
     * equal weights over the keys the causal mask alone allows.
     */
    void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out);

    /**
     * Releases everything this backend prepared or allocated. Idempotent; every later call but {@code close} throws
     * an {@link InputException} saying the backend is closed.
     */
    @Override
    void close();
}
