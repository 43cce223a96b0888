package dev.aperture.testkit;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;

/**
 * Straightforward double-precision versions of the {@link Backend} operations: the ground truth of the contract
 * suite ({@link BackendContractTest}) and of backend modules' own kernel tests.
 */
public final class BackendReferences {
    private BackendReferences() {
    }

    /** y = x·Wᵀ + b for x [rows, in], W [out, in]; {@code bias} may be null. */
    public static double[] linear(float[] x, float[] weight, float[] bias, int rows, int in, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias == null ? 0 : bias[o];
                for (int k = 0; k < in; k++) {
                    sum += (double) x[r * in + k] * weight[o * in + k];
                }
                y[r * out + o] = sum;
            }
        }
        return y;
    }

    /** Σ|x·w| + |b| per output: the scale a float32 dot product's rounding error is proportional to. */
    public static double[] linearMagnitude(float[] x, float[] weight, float[] bias, int rows, int in, int out) {
        double[] magnitude = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias == null ? 0 : Math.abs(bias[o]);
                for (int k = 0; k < in; k++) {
                    sum += Math.abs((double) x[r * in + k] * weight[o * in + k]);
                }
                magnitude[r * out + o] = sum;
            }
        }
        return magnitude;
    }

    /** Layer norm of each row with the biased variance, as PyTorch defines it. */
    public static double[] layerNorm(float[] x, float[] gamma, float[] beta, double eps, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int c = 0; c < cols; c++) {
                mean += x[r * cols + c];
            }
            mean /= cols;
            double variance = 0;
            for (int c = 0; c < cols; c++) {
                double deviation = x[r * cols + c] - mean;
                variance += deviation * deviation;
            }
            variance /= cols;
            double inverseStd = 1 / Math.sqrt(variance + eps);
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (x[r * cols + c] - mean) * inverseStd * gamma[c] + beta[c];
            }
        }
        return out;
    }

    /** {@code function} at {@code x}, by its defining formula. */
    public static double activation(Activation function, double x) {
        return switch (function) {
            case GELU -> gelu(x);
            case GELU_TANH -> geluTanh(x);
            case QUICK_GELU -> quickGelu(x);
        };
    }

    public static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    public static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    public static double quickGelu(double x) {
        return x / (1 + Math.exp(-1.702 * x));
    }

    /**
     * erf by its Maclaurin series for |x| ≤ 3 and the asymptotic continued fraction beyond; accurate to ~1e-15,
     * far below float32 resolution.
     */
    public static double erf(double x) {
        double ax = Math.abs(x);
        double result;
        if (ax <= 3) {
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), evaluated bottom-up.
            double fraction = ax;
            for (int n = 60; n >= 1; n--) {
                fraction = ax + (n / 2.0) / fraction;
            }
            result = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / fraction;
        }
        return x < 0 ? -result : result;
    }

    /**
     * softmax(scale·q·kᵀ + mask)·v per sequence and head, with the masks as PyTorch builds them: {@code finfo.min}
     * added to each masked score, {@code −inf} where both masks apply. So masked keys get weight exactly 0, and a
     * query that sees no key gets equal weights over the keys the causal mask alone allows.
     */
    public static double[] attention(float[] q, float[] k, float[] v, AttentionSpec spec) {
        int width = spec.numHeads() * spec.headDim();
        double[] out = new double[spec.batch() * spec.seqLen() * width];
        double masked = -3.4028234663852886e38;   // torch.finfo(torch.float32).min
        for (int b = 0; b < spec.batch(); b++) {
            for (int h = 0; h < spec.numHeads(); h++) {
                for (int i = 0; i < spec.seqLen(); i++) {
                    double[] scores = new double[spec.seqLen()];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < spec.seqLen(); j++) {
                        boolean causallyMasked = spec.causal() && j > i;
                        boolean padding = j >= spec.keyLength(b);
                        if (causallyMasked && padding) {
                            scores[j] = Double.NEGATIVE_INFINITY;
                        } else if (causallyMasked || padding) {
                            scores[j] = masked;
                        } else {
                            double dot = 0;
                            for (int d = 0; d < spec.headDim(); d++) {
                                dot += (double) q[index(spec, b, i, h, d)] * k[index(spec, b, j, h, d)];
                            }
                            scores[j] = spec.scale() * dot;
                        }
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < spec.seqLen(); j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int d = 0; d < spec.headDim(); d++) {
                        double acc = 0;
                        for (int j = 0; j < spec.seqLen(); j++) {
                            if (scores[j] != 0) {   // a masked key's value (even NaN) never reaches the output
                                acc += scores[j] / sum * v[index(spec, b, j, h, d)];
                            }
                        }
                        out[index(spec, b, i, h, d)] = acc;
                    }
                }
            }
        }
        return out;
    }

    /** Where element {@code d} of head {@code head} at {@code position} of {@code sequence} is in q, k, v, out. */
    public static int index(AttentionSpec spec, int sequence, int position, int head, int d) {
        int width = spec.numHeads() * spec.headDim();
        return (sequence * spec.seqLen() + position) * width + head * spec.headDim() + d;
    }
}
