package dev.aperture.benchmarks.bert;

import dev.aperture.models.tokenizer.TokenBatch;

import java.nio.FloatBuffer;

/**
 * sentence-transformers' {@code Pooling} (mean over the real tokens) and {@code Normalize}
 * ({@code x / max(||x||, 1e-12)}) on ONNX Runtime's {@code last_hidden_state}, summed in double as Aperture does.
 * The graph ends before pooling, so a Java user of ONNX Runtime writes this (langchain4j does); Aperture's own
 * pooling is internal to {@code TextEmbedder}.
 */
final class MeanPooling {
    private MeanPooling() {
    }

    /** One unit vector per row of {@code batch}, from {@code hidden} laid out {@code [batch, width, hiddenSize]}. */
    static float[][] normalized(FloatBuffer hidden, TokenBatch batch) {
        int hiddenSize = hidden.capacity() / (batch.size() * batch.width());
        float[][] sentences = new float[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
            sentences[b] = unit(mean(hidden, batch, b, hiddenSize));
        }
        return sentences;
    }

    /** The mean of row {@code b}'s token vectors where its attention mask is 1. */
    private static double[] mean(FloatBuffer hidden, TokenBatch batch, int b, int hiddenSize) {
        double[] sum = new double[hiddenSize];
        int[] mask = batch.attentionMask()[b];
        for (int t = 0; t < batch.width(); t++) {
            if (mask[t] == 0) {
                continue;
            }
            int offset = (b * batch.width() + t) * hiddenSize;
            for (int d = 0; d < hiddenSize; d++) {
                sum[d] += hidden.get(offset + d);
            }
        }
        for (int d = 0; d < hiddenSize; d++) {
            sum[d] /= batch.lengths()[b];
        }
        return sum;
    }

    private static float[] unit(double[] vector) {
        double norm = 0;
        for (double value : vector) {
            norm += value * value;
        }
        double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
        float[] unit = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            unit[d] = (float) (vector[d] * scale);
        }
        return unit;
    }
}
