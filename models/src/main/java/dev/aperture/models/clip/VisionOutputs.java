package dev.aperture.models.clip;

import java.util.List;

/**
 * Everything the vision tower computed for one batch of images, as flat row-major arrays.
 *
 * @param numPositions      tokens per image: the class token, then the patches
 * @param hiddenStates      the pre-layer-norm output (the encoder's input), then each encoder layer's output:
 *                          each {@code [batch, numPositions, hidden]}
 * @param lastHiddenState   the encoder's output (not post-layer-normed), {@code [batch, numPositions, hidden]}
 * @param poolerOutput      per image, {@code post_layernorm} of the class token's last hidden state
 * @param imageEmbeds       per image, {@code visual_projection(poolerOutput)}, not normalized
 */
public record VisionOutputs(int batch, int numPositions, int hiddenSize, List<float[]> hiddenStates,
                            float[] lastHiddenState, float[][] poolerOutput, float[][] imageEmbeds) {
}
