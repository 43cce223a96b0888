package dev.aperture.benchmarks.bert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.aperture.benchmarks.peers.OnnxRuntimeSessions;
import dev.aperture.models.tokenizer.TokenBatch;

import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tokenized batch as a BERT graph's int64 inputs for ONNX Runtime: {@code input_ids}, {@code attention_mask} and,
 * when the graph takes it, {@code token_type_ids} (all 0: one segment). The tensors hold native copies; close them.
 */
record BertGraphInputs(TokenBatch batch, Map<String, OnnxTensor> tensors) implements AutoCloseable {
    static BertGraphInputs of(TokenBatch batch, boolean withTokenTypes) throws OrtException {
        long[] shape = {batch.size(), batch.width()};
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        tensors.put("input_ids", tensor(flatten(batch.ids()), shape));
        tensors.put("attention_mask", tensor(flatten(batch.attentionMask()), shape));
        if (withTokenTypes) {
            tensors.put("token_type_ids", tensor(new long[batch.size() * batch.width()], shape));
        }
        return new BertGraphInputs(batch, tensors);
    }

    private static OnnxTensor tensor(long[] values, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(OnnxRuntimeSessions.environment(), LongBuffer.wrap(values), shape);
    }

    private static long[] flatten(int[][] rows) {
        long[] values = new long[rows.length * (rows.length == 0 ? 0 : rows[0].length)];
        int next = 0;
        for (int[] row : rows) {
            for (int value : row) {
                values[next++] = value;
            }
        }
        return values;
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
    }
}
