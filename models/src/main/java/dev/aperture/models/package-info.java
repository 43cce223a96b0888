/**
 * What every model's caller shares: {@link dev.aperture.models.ImageTextModel} (CLIP or SigLIP, chosen by
 * {@code config.json}; {@link dev.aperture.models.ModelTypes} reads the type), {@link dev.aperture.models.ModelOptions}
 * (backend, threads, batch size, {@link dev.aperture.models.InputLimits}), {@link dev.aperture.models.ImageInput}, the
 * {@link dev.aperture.models.ProgressListener} of loading, and the small helpers the model packages share
 * ({@link dev.aperture.models.Backends} opens the backend an option names, {@link dev.aperture.models.Vectors} does
 * the vector arithmetic of embeddings). Used by users of any model family, by the cli and by the benchmarks; each
 * family lives in its own package ({@code clip}, {@code siglip}, {@code bert}) on top of the shared ones ({@code tokenizer},
 * {@code image}, {@code transformer}, {@code source}, {@code loading}, {@code zeroshot}, {@code convert}).
 */
package dev.aperture.models;
