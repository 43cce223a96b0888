/**
 * Model sources: {@link dev.aperture.models.source.ModelSource#resolve(String, HubOptions)} turns a local folder
 * or a Hugging Face hub id ({@code org/name[@revision]}) into a folder of model files, sharing the
 * huggingface_hub cache with Python (download, SHA-256 verification, resume, locking, offline mode).
 */
package dev.aperture.models.source;
