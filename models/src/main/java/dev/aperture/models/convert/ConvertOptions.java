package dev.aperture.models.convert;

import dev.aperture.models.source.HubOptions;

/**
 * How {@link CheckpointConverter} converts a model.
 *
 * @param dtype         the type floating-point tensors are stored as ({@link TargetDType#KEEP} for unchanged)
 * @param maxShardBytes the most tensor bytes per file; a checkpoint that fits is one {@code model.safetensors},
 *                      a larger one is split into shards with an index, as transformers splits them
 * @param overwrite     whether the output folder may already hold files: the model files a conversion writes
 *                      (weights, index, config, tokenizer and preprocessor files) are then replaced, and those it
 *                      does not write are removed so the folder cannot mix two models; other files stay
 * @param hub           how to reach the Hugging Face hub and its cache when the source is a hub id (its file set is
 *                      ignored: the converter asks for the files it carries over)
 * @param listener      told the progress of writing and verifying
 */
public record ConvertOptions(TargetDType dtype, long maxShardBytes, boolean overwrite, HubOptions hub,
                             ConversionListener listener) {

    /** Rejects missing parts and a shard size below one byte. */
    public ConvertOptions {
        if (dtype == null || hub == null || listener == null) {
            throw new IllegalArgumentException("dtype, hub and listener are required");
        }
        if (maxShardBytes < 1) {
            throw new IllegalArgumentException("maxShardBytes must be at least 1, got " + maxShardBytes);
        }
    }

    /**
     * Tensors kept as they are, shards of at most {@link ShardSize#DEFAULT_BYTES}, an empty (or new) output folder,
     * the hub as {@link HubOptions#fromEnvironment()} reaches it, no progress reports.
     */
    public static ConvertOptions defaults() {
        return new ConvertOptions(TargetDType.KEEP, ShardSize.DEFAULT_BYTES, false, HubOptions.fromEnvironment(),
                ConversionListener.NONE);
    }

    /** These options storing floating-point tensors as {@code dtype}. */
    public ConvertOptions withDtype(TargetDType dtype) {
        return new ConvertOptions(dtype, maxShardBytes, overwrite, hub, listener);
    }

    /** These options with another shard size ({@link ShardSize#parse} reads transformers' {@code "5GB"} form). */
    public ConvertOptions withMaxShardBytes(long maxShardBytes) {
        return new ConvertOptions(dtype, maxShardBytes, overwrite, hub, listener);
    }

    /** These options allowing (or not) an output folder that already holds files. */
    public ConvertOptions withOverwrite(boolean overwrite) {
        return new ConvertOptions(dtype, maxShardBytes, overwrite, hub, listener);
    }

    /** These options reaching the hub with {@code hub}. */
    public ConvertOptions withHub(HubOptions hub) {
        return new ConvertOptions(dtype, maxShardBytes, overwrite, hub, listener);
    }

    /** These options reporting progress to {@code listener}. */
    public ConvertOptions withListener(ConversionListener listener) {
        return new ConvertOptions(dtype, maxShardBytes, overwrite, hub, listener);
    }
}
