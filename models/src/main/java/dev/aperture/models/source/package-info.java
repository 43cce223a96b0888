/**
 * Model sources: {@link dev.aperture.models.source.ModelSource#resolve(String, HubOptions)} turns a local folder
 * or a Hugging Face hub id ({@code org/name[@revision]}) into a folder of model files and the weights to load,
 * sharing the huggingface_hub cache with Python (download, SHA-256 verification, resume, locking, offline mode).
 * A repository with only {@code pytorch_model.bin} gets its safetensors from the hub's conversion pull request when
 * it has one, as transformers does ({@link dev.aperture.models.source.ConversionPullRequest}), else the pickle.
 * Used by every model's {@code load(String, ...)} ({@code clip}, {@code bert}), by {@code convert} and by the cli's
 * hub options and download progress.
 */
package dev.aperture.models.source;
