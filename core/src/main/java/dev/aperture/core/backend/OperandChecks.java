package dev.aperture.core.backend;

import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.tensor.TensorView;

import java.util.Arrays;
import java.util.List;

/**
 * The shape checks every {@link Backend} makes before an operation, in one place so that every backend rejects the
 * same calls with the same {@link InputException} and the same message (see "Faults" in {@link Backend}). A
 * backend adds only what is its own: that a matrix is one of its own and still open.
 */
public final class OperandChecks {
    private OperandChecks() {
    }

    /**
     * A new matrix of {@code rows × cols}, holding at most {@code maxElements}.
     *
     * @throws InputException         for a negative dimension
     * @throws ResourceLimitException for more than {@code maxElements} elements
     */
    public static void dimensions(int rows, int cols, long maxElements, String backend) {
        if (rows < 0 || cols < 0) {
            throw new InputException("Matrix dimensions must be non-negative, got " + rows + " x " + cols);
        }
        if ((long) rows * cols > maxElements) {
            throw new ResourceLimitException("A " + rows + " x " + cols + " matrix exceeds the " + backend
                    + " backend's limit of " + maxElements + " elements");
        }
    }

    /** {@link Backend#upload}: {@code values} fills the shape exactly. */
    public static void upload(float[] values, int rows, int cols, long maxElements, String backend) {
        dimensions(rows, cols, maxElements, backend);
        if (values.length != (long) rows * cols) {
            throw new InputException("Upload of " + values.length + " values into a " + rows + " x " + cols
                    + " matrix");
        }
    }

    /**
     * {@link Backend#prepareLinear}: the weight is {@code [out, in]} or {@code [out, ...]} with trailing dimensions
     * flattened into {@code in}, both positive and at most {@code maxElements} in all; the bias, if any, is
     * {@code [out]}.
     *
     * @return {@code in}, the weight's input features
     * @throws ModelMismatchException naming the tensor that cannot be a linear layer
     */
    public static int linearInFeatures(TensorView weight, TensorView bias, long maxElements) {
        if (weight.rank() < 2) {
            throw new ModelMismatchException("Tensor '" + weight.name() + "' has shape "
                    + Arrays.toString(weight.shape()) + ", expected a matrix [out, in] (or [out, ...] for a"
                    + " convolution kernel)");
        }
        long outFeatures = weight.dim(0);
        long inFeatures = outFeatures <= 0 ? 0 : weight.elementCount() / outFeatures;
        if (outFeatures <= 0 || inFeatures <= 0 || outFeatures * inFeatures > maxElements) {
            throw new ModelMismatchException("Tensor '" + weight.name() + "' has unusable shape "
                    + Arrays.toString(weight.shape()) + " for a linear layer");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != outFeatures)) {
            throw new ModelMismatchException("Tensor '" + bias.name() + "' has shape "
                    + Arrays.toString(bias.shape()) + ", expected [" + outFeatures + "] to match '" + weight.name()
                    + "'");
        }
        return (int) inFeatures;
    }

    /** {@link Backend#linear}: x is {@code [n, in]}, out is {@code [n, out]}. */
    public static void linear(Matrix x, LinearWeights weights, Matrix out) {
        if (x.cols() != weights.inFeatures()) {
            throw new InputException("The linear input is " + shape(x) + ", expected " + weights.inFeatures()
                    + " columns for weights [" + weights.outFeatures() + ", " + weights.inFeatures() + "]");
        }
        shape(out, x.rows(), weights.outFeatures(), "linear output");
    }

    /** {@link Backend#linearAdd}: as {@link #linear}, and the residual has out's shape and is another matrix. */
    public static void linearAdd(Matrix x, LinearWeights weights, Matrix residual, Matrix out) {
        linear(x, weights, out);
        shape(residual, out.rows(), out.cols(), "linear residual");
        if (residual == out) {
            throw new InputException("The linear residual must be another matrix than the linear output");
        }
    }

    /** {@link Backend#linear(Matrix, List, List)}: one output per weights, at least one. */
    public static void linearEach(List<LinearWeights> weights, List<Matrix> outs) {
        if (weights.isEmpty() || weights.size() != outs.size()) {
            throw new InputException("Linear layers of one input need one output each and at least one layer: got "
                    + weights.size() + " weights and " + outs.size() + " outputs");
        }
        for (int i = 0; i < outs.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (outs.get(i) == outs.get(j)) {
                    throw new InputException("Linear outputs " + j + " and " + i + " are the same matrix");
                }
            }
        }
    }

    /** {@link Backend#layerNorm}: gamma and beta are {@code [1, cols]}, out is x's shape. */
    public static void layerNorm(Matrix x, Matrix gamma, Matrix beta, Matrix out) {
        shape(gamma, 1, x.cols(), "layer norm gamma");
        shape(beta, 1, x.cols(), "layer norm beta");
        shape(out, x.rows(), x.cols(), "layer norm output");
    }

    /** {@link Backend#add}: y has x's shape. */
    public static void add(Matrix x, Matrix y) {
        shape(y, x.rows(), x.cols(), "addend");
    }

    /** {@link Backend#addRowsPeriodic}: {@code 0 < period ≤ table.rows()}, table as wide as x. */
    public static void addRowsPeriodic(Matrix x, Matrix table, int period) {
        if (period <= 0 || period > table.rows()) {
            throw new InputException("Period " + period + " for a periodic table of " + table.rows()
                    + " rows (expected 1 to " + table.rows() + ")");
        }
        if (table.cols() != x.cols()) {
            throw new InputException("The periodic table is " + shape(table) + ", expected " + x.cols()
                    + " columns to match the target " + shape(x));
        }
    }

    /** {@link Backend#gatherRows}: out is {@code [rows.length, source.cols()]}, every row inside the source. */
    public static void gatherRows(Matrix source, int[] rows, Matrix out) {
        shape(out, rows.length, source.cols(), "gatherRows output");
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= source.rows()) {
                throw new InputException("gatherRows index " + i + " is row " + rows[i] + ", outside the "
                        + source.rows() + " rows of the source (a token id beyond the vocabulary?)");
            }
        }
    }

    /** {@link Backend#attention}: q, k, v and out are all {@code [batch·seqLen, numHeads·headDim]}. */
    public static void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out) {
        long rows = (long) spec.batch() * spec.seqLen();
        long cols = (long) spec.numHeads() * spec.headDim();
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new InputException("Attention of " + rows + " rows x " + cols + " columns does not fit a matrix");
        }
        shape(q, (int) rows, (int) cols, "attention queries");
        shape(k, (int) rows, (int) cols, "attention keys");
        shape(v, (int) rows, (int) cols, "attention values");
        shape(out, (int) rows, (int) cols, "attention output");
    }

    /** The exception for a matrix or weights another backend made. */
    public static InputException foreign(String role, Object operand, String backend) {
        return new InputException("The " + role + " (" + operand + ") was not made by this " + backend + " backend");
    }

    /** The exception for a closed matrix. */
    public static InputException closedMatrix(String role, Matrix matrix) {
        return new InputException("The " + role + " (" + matrix.rows() + " x " + matrix.cols()
                + " matrix) is closed");
    }

    /** The exception for any call on a closed backend; {@code backend} describes it ("OpenCL backend on ..."). */
    public static InputException closedBackend(String backend) {
        return new InputException("The " + backend + " is closed");
    }

    private static void shape(Matrix matrix, int rows, int cols, String role) {
        if (matrix.rows() != rows || matrix.cols() != cols) {
            throw new InputException("The " + role + " is " + shape(matrix) + ", expected [" + rows + ", " + cols
                    + "]");
        }
    }

    private static String shape(Matrix matrix) {
        return "[" + matrix.rows() + ", " + matrix.cols() + "]";
    }
}
