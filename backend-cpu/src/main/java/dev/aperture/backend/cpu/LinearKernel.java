package dev.aperture.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code out = x·Wᵀ + b} as dot products: {@code out[i][j] = Σ_k x[i][k]·W[j][k] + b[j]}. Both operands are
 * contiguous along k (the {@code in} dimension), so every dot product is a vector loop over k.
 *
 * <p>Tiling: the output columns j are split among the worker threads. Each thread walks its columns two at a time
 * against four rows of x at a time (a 4×2 block: six vector loads feed eight fused multiply-adds), and visits
 * the rows of x in tiles of {@value #ROW_TILE} so a tile stays in cache while the thread's columns stream past.
 * Edges (a row count not divisible by 4, an odd column count, {@code in} not a multiple of the vector length)
 * fall back to single dot products and scalar tails.
 *
 * <p>This is the simple, correct baseline; a packed GEMM may replace {@link #multiply}'s body.
 */
final class LinearKernel {
    private static final VectorSpecies<Float> SPECIES = Lanes.SPECIES;
    private static final int ROW_TILE = 32;
    private static final int MIN_COLUMNS_PER_THREAD = 16;

    private LinearKernel() {
    }

    /** {@code out[n, outFeatures] = x[n, inFeatures]·Wᵀ + b}. */
    static void multiply(WorkerPool pool, float[] x, int n, HostLinearWeights weights, float[] out) {
        pool.forRange(weights.outFeatures(), MIN_COLUMNS_PER_THREAD,
                (columnStart, columnEnd) -> multiplyColumns(x, n, weights, out, columnStart, columnEnd));
    }

    private static void multiplyColumns(float[] x, int n, HostLinearWeights weights, float[] out,
                                        int columnStart, int columnEnd) {
        for (int tileStart = 0; tileStart < n; tileStart += ROW_TILE) {
            int tileEnd = Math.min(n, tileStart + ROW_TILE);
            int fullRowEnd = tileStart + (tileEnd - tileStart) / 4 * 4;
            int fullColumnEnd = columnStart + (columnEnd - columnStart) / 2 * 2;
            for (int j = columnStart; j < fullColumnEnd; j += 2) {
                for (int i = tileStart; i < fullRowEnd; i += 4) {
                    block4x2(x, i, weights, j, out);
                }
            }
            for (int j = columnStart; j < columnEnd; j++) {
                int firstRow = j < fullColumnEnd ? fullRowEnd : tileStart;
                for (int i = firstRow; i < tileEnd; i++) {
                    out[i * weights.outFeatures() + j] = dot(x, i * weights.inFeatures(), weights.weight(),
                            j * weights.inFeatures(), weights.inFeatures()) + bias(weights, j);
                }
            }
        }
    }

    /** Rows i..i+3 of x against weight rows j, j+1. */
    private static void block4x2(float[] x, int i, HostLinearWeights weights, int j, float[] out) {
        int in = weights.inFeatures();
        float[] w = weights.weight();
        int x0 = i * in, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
        int w0 = j * in, w1 = w0 + in;
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = FloatVector.zero(SPECIES);
        FloatVector a10 = FloatVector.zero(SPECIES), a11 = FloatVector.zero(SPECIES);
        FloatVector a20 = FloatVector.zero(SPECIES), a21 = FloatVector.zero(SPECIES);
        FloatVector a30 = FloatVector.zero(SPECIES), a31 = FloatVector.zero(SPECIES);
        int vectorEnd = SPECIES.loopBound(in);
        int k = 0;
        for (; k < vectorEnd; k += SPECIES.length()) {
            FloatVector wv0 = FloatVector.fromArray(SPECIES, w, w0 + k);
            FloatVector wv1 = FloatVector.fromArray(SPECIES, w, w1 + k);
            FloatVector xv = FloatVector.fromArray(SPECIES, x, x0 + k);
            a00 = xv.fma(wv0, a00);
            a01 = xv.fma(wv1, a01);
            xv = FloatVector.fromArray(SPECIES, x, x1 + k);
            a10 = xv.fma(wv0, a10);
            a11 = xv.fma(wv1, a11);
            xv = FloatVector.fromArray(SPECIES, x, x2 + k);
            a20 = xv.fma(wv0, a20);
            a21 = xv.fma(wv1, a21);
            xv = FloatVector.fromArray(SPECIES, x, x3 + k);
            a30 = xv.fma(wv0, a30);
            a31 = xv.fma(wv1, a31);
        }
        float s00 = Lanes.sum(a00), s01 = Lanes.sum(a01);
        float s10 = Lanes.sum(a10), s11 = Lanes.sum(a11);
        float s20 = Lanes.sum(a20), s21 = Lanes.sum(a21);
        float s30 = Lanes.sum(a30), s31 = Lanes.sum(a31);
        for (; k < in; k++) {
            float wk0 = w[w0 + k], wk1 = w[w1 + k];
            s00 += x[x0 + k] * wk0;
            s01 += x[x0 + k] * wk1;
            s10 += x[x1 + k] * wk0;
            s11 += x[x1 + k] * wk1;
            s20 += x[x2 + k] * wk0;
            s21 += x[x2 + k] * wk1;
            s30 += x[x3 + k] * wk0;
            s31 += x[x3 + k] * wk1;
        }
        int outF = weights.outFeatures();
        float b0 = bias(weights, j), b1 = bias(weights, j + 1);
        int o = i * outF + j;
        out[o] = s00 + b0;
        out[o + 1] = s01 + b1;
        out[o + outF] = s10 + b0;
        out[o + outF + 1] = s11 + b1;
        out[o + 2 * outF] = s20 + b0;
        out[o + 2 * outF + 1] = s21 + b1;
        out[o + 3 * outF] = s30 + b0;
        out[o + 3 * outF + 1] = s31 + b1;
    }

    /** {@code Σ_k a[aOffset + k]·b[bOffset + k]} for k in [0, length). */
    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int vectorEnd = SPECIES.loopBound(length);
        int k = 0;
        for (; k < vectorEnd; k += SPECIES.length()) {
            sum = FloatVector.fromArray(SPECIES, a, aOffset + k).fma(FloatVector.fromArray(SPECIES, b, bOffset + k), sum);
        }
        float result = Lanes.sum(sum);
        for (; k < length; k++) {
            result += a[aOffset + k] * b[bOffset + k];
        }
        return result;
    }

    private static float bias(HostLinearWeights weights, int j) {
        return weights.bias() == null ? 0f : weights.bias()[j];
    }
}
