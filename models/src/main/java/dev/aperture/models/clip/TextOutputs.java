package dev.aperture.models.clip;

import java.util.List;

/**
 * Everything the text tower computed for one batch, as flat row-major arrays (the detailed view for tests and
 * debugging; {@link ClipTowers#encodeText} returns only the features).
 *
 * @param seqLen            positions computed per text (all of them, or up to the last pooled one)
 * @param hiddenStates      the embeddings output, then each encoder layer's output: each {@code [batch, seqLen, hidden]}
 * @param lastHiddenState   the final layer norm's output, {@code [batch, seqLen, hidden]}
 * @param poolerOutput      per text, the last hidden state at its pooled (end-of-text) position
 * @param textEmbeds        per text, {@code text_projection(poolerOutput)}, not normalized
 */
public record TextOutputs(int batch, int seqLen, int hiddenSize, List<float[]> hiddenStates, float[] lastHiddenState,
                          float[][] poolerOutput, float[][] textEmbeds) {
}
