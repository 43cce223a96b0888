package dev.aperture.core.checkpoint;

import dev.aperture.core.FormatException;
import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sharded checkpoint: the shards named by an index ({@code model.safetensors.index.json} or
 * {@code pytorch_model.bin.index.json}), each opened as {@link Checkpoints#openFile} opens a file, seen as one
 * {@link TensorSource}. A tensor name resolves to the shard the index's weight map assigns it; names are in index
 * order. Metadata is the shards' metadata merged (a later shard's value wins on a repeated key).
 */
public final class ShardedCheckpoint implements TensorSource {
    private final ShardIndex index;
    private final List<TensorSource> shards;
    private final Map<String, TensorSource> shardOfTensor;
    private final Map<String, String> metadata;

    private ShardedCheckpoint(ShardIndex index, List<TensorSource> shards, Map<String, TensorSource> shardOfTensor,
                              Map<String, String> metadata) {
        this.index = index;
        this.shards = shards;
        this.shardOfTensor = shardOfTensor;
        this.metadata = metadata;
    }

    /**
     * Opens every shard of an index and checks that each tensor of the weight map is in its shard.
     *
     * @throws FormatException when the index or a shard is malformed, a shard is missing, or a listed tensor is
     *                         absent from its shard
     */
    public static ShardedCheckpoint open(Path indexFile, CheckpointLimits limits) {
        ShardIndex index = ShardIndex.read(indexFile);
        Map<String, TensorSource> openShards = new LinkedHashMap<>();
        try {
            Map<String, TensorSource> shardOfTensor = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : index.weightMap().entrySet()) {
                TensorSource shard = openShards.get(entry.getValue());
                if (shard == null) {
                    shard = openShard(index, entry.getKey(), entry.getValue(), limits);
                    openShards.put(entry.getValue(), shard);
                }
                if (!shard.contains(entry.getKey())) {
                    throw new FormatException(indexFile + ": tensor '" + entry.getKey()
                            + "' is listed in the weight_map for shard " + entry.getValue() + " but is absent from it");
                }
                shardOfTensor.put(entry.getKey(), shard);
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            openShards.values().forEach(shard -> metadata.putAll(shard.metadata()));
            return new ShardedCheckpoint(index, List.copyOf(openShards.values()),
                    Collections.unmodifiableMap(shardOfTensor), Collections.unmodifiableMap(metadata));
        } catch (RuntimeException e) {
            openShards.values().forEach(TensorSource::close);
            throw e;
        }
    }

    private static TensorSource openShard(ShardIndex index, String tensor, String shardName, CheckpointLimits limits) {
        Path shardPath = index.shardPath(shardName);
        if (!Files.isRegularFile(shardPath)) {
            throw new FormatException(index.indexFile() + ": shard file " + shardName + " (for tensor '"
                    + tensor + "') is missing: " + shardPath);
        }
        if (shardName.endsWith(".json")) {
            throw new FormatException(index.indexFile() + ": shard " + shardName + " (for tensor '" + tensor
                    + "') is an index itself; shards must be weights files");
        }
        return Checkpoints.openFile(shardPath, limits);
    }

    /** The index this was opened from. */
    public ShardIndex index() {
        return index;
    }

    @Override
    public List<Path> files() {
        return shards.stream().flatMap(shard -> shard.files().stream()).toList();
    }

    @Override
    public Set<String> names() {
        return shardOfTensor.keySet();
    }

    @Override
    public TensorView tensor(String name) {
        TensorSource shard = shardOfTensor.get(name);
        if (shard == null) {
            throw new ModelMismatchException("No tensor '" + name + "' in the weight_map of " + index.indexFile());
        }
        return shard.tensor(name);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Closes every shard. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (TensorSource shard : shards) {
            try {
                shard.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
