/**
 * The transformer every model family is built from: its blocks, the loader that maps a checkpoint's tensor names
 * onto them, the per-call workspace of activations, and one debug hook. A model family supplies an
 * {@link dev.aperture.models.transformer.EncoderConfig} (read from its config), a
 * {@link dev.aperture.models.transformer.BlockTensorNames} per layer (its checkpoint's names) and whatever is
 * truly its own (embeddings, pooling); {@link dev.aperture.models.transformer.Encoder} does the rest. The blocks,
 * in the order a forward pass runs them: {@link dev.aperture.models.transformer.EncoderBlock} (pre-norm as in CLIP,
 * or post-norm as in BERT, see {@link dev.aperture.models.transformer.NormPlacement}) made of
 * {@link dev.aperture.models.transformer.LayerNorm}, {@link dev.aperture.models.transformer.MultiHeadAttention}
 * and {@link dev.aperture.models.transformer.Mlp}; the towers' inputs are
 * {@link dev.aperture.models.transformer.PatchEmbedding} (images) and
 * {@link dev.aperture.models.transformer.TokenEmbeddings} (texts). Every block writes into the matrices of one
 * {@link dev.aperture.models.transformer.Activations}, allocated once per call for its batch shape, and reports
 * named intermediate results to that call's {@link dev.aperture.models.transformer.ActivationTap}. Used by
 * {@code clip}, {@code siglip} and {@code bert}; public only so that they can share it, not part of the API.
 */
package dev.aperture.models.transformer;
