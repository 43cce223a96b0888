/**
 * Checkpoint conversion: {@link dev.aperture.models.convert.CheckpointConverter#convert(String, java.nio.file.Path,
 * ConvertOptions)} turns a model folder or hub id whose weights are PyTorch pickles, sharded checkpoints or
 * safetensors into a verified safetensors model folder, optionally casting floating-point tensors to F32, F16 or BF16
 * ({@link dev.aperture.models.convert.TargetDType}) and sharding them ({@link dev.aperture.models.convert.ShardSize}).
 * Used by users and by the cli's {@code convert} command; it reads checkpoints through core and resolves hub ids
 * through {@code source}.
 */
package dev.aperture.models.convert;
