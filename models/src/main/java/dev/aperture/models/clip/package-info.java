/**
 * CLIP, and only CLIP: {@link dev.aperture.models.clip.ClipModel} (texts and images in, embeddings out, loaded from
 * a Hugging Face folder or hub id), the two towers ({@link dev.aperture.models.clip.ClipTowers}: text and vision
 * embeddings, projections) built on the shared {@code transformer} blocks, its config
 * ({@link dev.aperture.models.clip.ClipConfig}) and its checkpoint's tensor names. Its tokenizer is the byte-level
 * BPE of {@code tokenizer.bpe} and its preprocessing that of {@code image}. Used by users, by
 * {@code zeroshot}'s image classifier, by the cli's image commands and by the benchmarks; the synthetic models for
 * benchmarks and tests are in {@code clip.synthetic}.
 */
package dev.aperture.models.clip;
