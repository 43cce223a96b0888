package dev.aperture.core.backend;

import dev.aperture.core.tensor.TensorView;

/**
 * The tensor-level operations a model is written against, so one model runs on any backend (CPU, OpenCL).
 *
 * <p>Everything is a row-major float32 {@link Matrix} of {@code rows × cols}; a batch of sequences is stacked
 * as {@code batch·seqLen} rows. Weights change form in exactly one place, {@link #prepareLinear}; activations
 * live in matrices the backend allocates and stay there between operations (on a GPU: on the device) until
 * {@link #download}.
 *
 * <p>Implementations are thread-safe: several calls may run at once as long as they write distinct matrices.
 * A backend owns the memory of what it prepared; {@link #close()} releases it.
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

    /** Copies host values ({@code rows·cols}, row-major) into a new matrix: inputs and constant tables. */
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

    /** The matrix's values, row-major, copied to the host. */
    float[] download(Matrix matrix);

    /** {@code out = x·Wᵀ + b}; {@code x} is {@code [n, in]}, {@code out} is {@code [n, out]}. */
    void linear(Matrix x, LinearWeights weights, Matrix out);

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
     * head h in columns {@code [h·headDim, (h+1)·headDim)}. Masked keys get weight exactly zero.
     */
    void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out);

    /** Releases everything this backend prepared or allocated. */
    @Override
    void close();
}
