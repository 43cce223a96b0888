package dev.aperture.models.clip;

import dev.aperture.core.InputException;
import dev.aperture.models.transformer.SequenceLayout;

/**
 * A validated batch of token-id sequences, ready for the text tower: the ids flattened row-major, the position
 * each sequence is pooled at, and the layout attention needs.
 *
 * <p>Pooling follows transformers 4.39: when {@code eos_token_id == 2} (the legacy openai configs) the pooled
 * position is the first occurrence of the largest id (the end-of-text token has the largest id); otherwise it is
 * the first position holding {@code eos_token_id} (position 0 if none does, as argmax over all-false gives).
 *
 * <p>The text tower is causal, so positions after the last pooled one cannot change any pooled output; unless
 * {@code allPositions} is asked for, the batch is cut after that position.
 */
record TextBatch(SequenceLayout layout, int[] flatIds, int[] poolPositions) {

    static TextBatch of(int[][] ids, int[][] attentionMask, ClipConfig.TextConfig config, boolean allPositions) {
        int batch = ids.length;
        int fullLength = checkIds(ids, config);
        int[] keyLengths = attentionMask == null ? null : keyLengths(attentionMask, batch, fullLength);
        int[] poolPositions = new int[batch];
        int lastPool = 0;
        for (int b = 0; b < batch; b++) {
            poolPositions[b] = poolPosition(ids[b], config.eosTokenId());
            lastPool = Math.max(lastPool, poolPositions[b]);
        }
        int seqLen = allPositions ? fullLength : lastPool + 1;
        int[] flatIds = new int[batch * seqLen];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids[b], 0, flatIds, b * seqLen, seqLen);
        }
        if (keyLengths != null) {
            for (int b = 0; b < batch; b++) {
                keyLengths[b] = Math.min(keyLengths[b], seqLen);
            }
        }
        return new TextBatch(new SequenceLayout(batch, seqLen, keyLengths), flatIds, poolPositions);
    }

    int size() {
        return layout.batch();
    }

    /** Rows of the stacked hidden states that hold each sequence's pooled position. */
    int[] poolRows() {
        int[] rows = new int[poolPositions.length];
        for (int b = 0; b < rows.length; b++) {
            rows[b] = b * layout.seqLen() + poolPositions[b];
        }
        return rows;
    }

    static int poolPosition(int[] ids, int eosTokenId) {
        int best = 0;
        for (int t = 0; t < ids.length; t++) {
            if (eosTokenId == 2 ? ids[t] > ids[best] : ids[t] == eosTokenId) {
                best = t;
                if (eosTokenId != 2) {
                    break;
                }
            }
        }
        return best;
    }

    /** Checks every id and that the batch is rectangular; returns the common length. */
    private static int checkIds(int[][] ids, ClipConfig.TextConfig config) {
        int length = ids[0].length;
        if (length == 0) {
            throw new InputException("Text 0 has no token ids; a tokenized text holds at least BOS and EOS");
        }
        if (length > config.maxPositionEmbeddings()) {
            throw new InputException("Texts have " + length + " token ids, more than the model's "
                    + config.maxPositionEmbeddings() + " positions (max_position_embeddings); truncate them");
        }
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != length) {
                throw new InputException("Text " + b + " has " + ids[b].length + " token ids but text 0 has " + length
                        + "; pad the batch to one length");
            }
            for (int t = 0; t < length; t++) {
                if (ids[b][t] < 0 || ids[b][t] >= config.vocabSize()) {
                    throw new InputException("Token id " + ids[b][t] + " of text " + b + " at position " + t
                            + " is outside the vocabulary (vocab_size " + config.vocabSize() + ")");
                }
            }
        }
        return length;
    }

    /** Real positions per text; the mask must be ones then zeros (right padding), as CLIP tokenizers produce. */
    private static int[] keyLengths(int[][] mask, int batch, int length) {
        if (mask.length != batch) {
            throw new InputException("attention mask has " + mask.length + " rows for " + batch + " texts");
        }
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            if (mask[b].length != length) {
                throw new InputException("attention mask row " + b + " has " + mask[b].length + " entries for "
                        + length + " token ids");
            }
            int real = 0;
            while (real < length && mask[b][real] == 1) {
                real++;
            }
            for (int t = real; t < length; t++) {
                if (mask[b][t] != 0) {
                    throw new InputException("attention mask row " + b + " is not right-padded (ones, then zeros): "
                            + "entry " + t + " is " + mask[b][t]);
                }
            }
            lengths[b] = real;
        }
        return lengths;
    }
}
