package dev.aperture.models.bert;

import dev.aperture.core.backend.Activation;
import dev.aperture.core.backend.AttentionSpec;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.LinearWeights;
import dev.aperture.core.backend.Matrix;
import dev.aperture.core.safetensors.TensorView;

/**
 * A test-only {@link Backend} in plain scalar Java, each operation written as its formula. It is an independent
 * check of the encoder's wiring (and lets the BERT tests run without depending on a particular optimized backend).
 */
final class PlainJavaBackend implements Backend {

    private record HostMatrix(float[] values, int rows, int cols) implements Matrix {
        @Override
        public void close() {
        }
    }

    private record HostLinear(float[] weight, float[] bias, int outFeatures, int inFeatures) implements LinearWeights {
    }

    private static HostMatrix host(Matrix m) {
        return (HostMatrix) m;
    }

    @Override
    public String name() {
        return "plain-java";
    }

    @Override
    public LinearWeights prepareLinear(TensorView weight, TensorView bias) {
        int out = (int) weight.dim(0);
        int in = (int) (weight.elementCount() / out);
        return new HostLinear(weight.toFloatArray(), bias == null ? new float[out] : bias.toFloatArray(), out, in);
    }

    @Override
    public Matrix upload(float[] values, int rows, int cols) {
        return new HostMatrix(values.clone(), rows, cols);
    }

    @Override
    public Matrix allocate(int rows, int cols) {
        return new HostMatrix(new float[rows * cols], rows, cols);
    }

    @Override
    public float[] download(Matrix matrix) {
        return host(matrix).values().clone();
    }

    @Override
    public void linear(Matrix x, LinearWeights weights, Matrix out) {
        HostLinear w = (HostLinear) weights;
        float[] in = host(x).values();
        float[] y = host(out).values();
        for (int r = 0; r < x.rows(); r++) {
            for (int o = 0; o < w.outFeatures(); o++) {
                float sum = 0;
                for (int i = 0; i < w.inFeatures(); i++) {
                    sum += in[r * w.inFeatures() + i] * w.weight()[o * w.inFeatures() + i];
                }
                y[r * w.outFeatures() + o] = sum + w.bias()[o];
            }
        }
    }

    @Override
    public void layerNorm(Matrix x, Matrix gamma, Matrix beta, float eps, Matrix out) {
        float[] in = host(x).values();
        float[] y = host(out).values();
        int cols = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            double mean = 0;
            for (int c = 0; c < cols; c++) {
                mean += in[r * cols + c];
            }
            mean /= cols;
            double variance = 0;
            for (int c = 0; c < cols; c++) {
                double d = in[r * cols + c] - mean;
                variance += d * d;
            }
            variance /= cols;
            double inv = 1.0 / Math.sqrt(variance + eps);
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = (float) ((in[r * cols + c] - mean) * inv * host(gamma).values()[c] + host(beta).values()[c]);
            }
        }
    }

    @Override
    public void activate(Activation function, Matrix x) {
        float[] v = host(x).values();
        for (int i = 0; i < v.length; i++) {
            double z = v[i];
            v[i] = (float) switch (function) {
                case GELU -> 0.5 * z * (1 + erf(z / Math.sqrt(2)));
                case GELU_TANH -> 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
                case QUICK_GELU -> z / (1 + Math.exp(-1.702 * z));
            };
        }
    }

    /** erf by Abramowitz-Stegun 7.1.26 is too coarse for 1e-4; use the series / continued fraction split. */
    static double erf(double x) {
        double t = Math.abs(x);
        double result;
        if (t < 2.5) {
            double sum = t;
            double term = t;
            for (int n = 1; n < 60; n++) {
                term *= -t * t / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc continued fraction (Lentz), accurate for large t.
            double f = t;
            for (int n = 60; n >= 1; n--) {
                f = t + (n / 2.0) / f;
            }
            result = 1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -result : result;
    }

    @Override
    public void add(Matrix x, Matrix y) {
        float[] a = host(x).values();
        float[] b = host(y).values();
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    @Override
    public void addRowsPeriodic(Matrix x, Matrix table, int period) {
        float[] a = host(x).values();
        float[] t = host(table).values();
        int cols = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            for (int c = 0; c < cols; c++) {
                a[r * cols + c] += t[(r % period) * cols + c];
            }
        }
    }

    @Override
    public void gatherRows(Matrix source, int[] rows, Matrix out) {
        int cols = source.cols();
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(host(source).values(), rows[i] * cols, host(out).values(), i * cols, cols);
        }
    }

    @Override
    public void attention(Matrix q, Matrix k, Matrix v, AttentionSpec spec, Matrix out) {
        float[] qv = host(q).values();
        float[] kv = host(k).values();
        float[] vv = host(v).values();
        float[] o = host(out).values();
        int width = spec.numHeads() * spec.headDim();
        int seqLen = spec.seqLen();
        for (int b = 0; b < spec.batch(); b++) {
            int keys = spec.keyLength(b);
            for (int h = 0; h < spec.numHeads(); h++) {
                int col = h * spec.headDim();
                for (int i = 0; i < seqLen; i++) {
                    int qRow = (b * seqLen + i) * width + col;
                    double[] scores = new double[keys];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < keys; j++) {
                        int kRow = (b * seqLen + j) * width + col;
                        double dot = 0;
                        for (int d = 0; d < spec.headDim(); d++) {
                            dot += qv[qRow + d] * kv[kRow + d];
                        }
                        scores[j] = dot * spec.scale();
                        max = Math.max(max, scores[j]);
                    }
                    double total = 0;
                    for (int j = 0; j < keys; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        total += scores[j];
                    }
                    for (int d = 0; d < spec.headDim(); d++) {
                        double sum = 0;
                        for (int j = 0; j < keys; j++) {
                            sum += scores[j] / total * vv[(b * seqLen + j) * width + col + d];
                        }
                        o[qRow + d] = (float) sum;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
    }
}
