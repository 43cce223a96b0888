/**
 * SigLIP and fixed-resolution SigLIP 2, and only those: {@link dev.aperture.models.siglip.SiglipModel} (texts and
 * images in, embeddings out, scored with a sigmoid per label), the two towers
 * ({@link dev.aperture.models.siglip.SiglipTowers}) built on the shared {@code transformer} blocks, its config
 * ({@link dev.aperture.models.siglip.SiglipConfig}), its checkpoint's tensor names and what is truly its own: the
 * attention-pooling head of the vision tower and the unmasked last-position pooling of the text tower. Its
 * tokenizers are in {@code tokenizer.sentencepiece}, its preprocessing ({@code SiglipImageProcessor}) in
 * {@code image}. Users reach it directly or through {@link dev.aperture.models.ImageTextModel#load}, which picks the
 * family from {@code config.json}.
 */
package dev.aperture.models.siglip;
