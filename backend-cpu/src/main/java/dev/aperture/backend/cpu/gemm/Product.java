package dev.aperture.backend.cpu.gemm;

/**
 * One output of a {@link Gemm} call: {@code y = function(x · Wᵀ + bias + residual)}, row-major {@code [m, n]}
 * for the call's {@code m} rows of x. Several products of one x (attention's query, key and value projections)
 * share one copy of x and one task grid.
 *
 * @param weights  W, packed
 * @param bias     {@code [n]}, or null for none
 * @param y        the output, at least {@code m x n} floats
 * @param residual {@code [m, n]} added to the result (a residual connection), or null; it may not be y
 * @param function applied element-wise to the result (an activation), or null
 */
public record Product(PackedMatrix weights, float[] bias, float[] y, float[] residual, Elementwise function) {
    /** An element-wise function applied in place to {@code values[start, end)}. */
    @FunctionalInterface
    public interface Elementwise {
        void apply(float[] values, int start, int end);
    }

    /** {@code y = x · Wᵀ + bias}. */
    public static Product of(PackedMatrix weights, float[] bias, float[] y) {
        return new Product(weights, bias, y, null, null);
    }
}
