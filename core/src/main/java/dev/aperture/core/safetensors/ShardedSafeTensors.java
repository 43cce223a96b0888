package dev.aperture.core.safetensors;

import dev.aperture.core.ModelMismatchException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sharded checkpoint: the shards named by a {@code model.safetensors.index.json}, each memory-mapped, seen as one
 * {@link TensorSource}. A tensor name resolves to the shard the index's weight map assigns it; names are in index
 * order. Metadata is the shards' {@code __metadata__} merged (a later shard's value wins on a repeated key).
 */
public final class ShardedSafeTensors implements TensorSource {
    private final ShardIndex index;
    private final List<SafeTensors> shards;
    private final Map<String, SafeTensors> shardOfTensor;
    private final Map<String, String> metadata;

    private ShardedSafeTensors(ShardIndex index, List<SafeTensors> shards, Map<String, SafeTensors> shardOfTensor,
                               Map<String, String> metadata) {
        this.index = index;
        this.shards = shards;
        this.shardOfTensor = shardOfTensor;
        this.metadata = metadata;
    }

    /**
     * Opens every shard of an index and checks that each tensor of the weight map is in its shard.
     *
     * @throws SafeTensorsFormatException when the index or a shard is malformed, a shard is missing, or a listed
     *                                    tensor is absent from its shard
     */
    public static ShardedSafeTensors open(Path indexFile) {
        ShardIndex index = ShardIndex.read(indexFile);
        Map<String, SafeTensors> openShards = new LinkedHashMap<>();
        try {
            Map<String, SafeTensors> shardOfTensor = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : index.weightMap().entrySet()) {
                SafeTensors shard = openShards.get(entry.getValue());
                if (shard == null) {
                    shard = openShard(index, entry.getKey(), entry.getValue());
                    openShards.put(entry.getValue(), shard);
                }
                if (!shard.contains(entry.getKey())) {
                    throw new SafeTensorsFormatException(indexFile + ": tensor '" + entry.getKey()
                            + "' is listed in the weight_map for shard " + entry.getValue() + " but is absent from it");
                }
                shardOfTensor.put(entry.getKey(), shard);
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            openShards.values().forEach(shard -> metadata.putAll(shard.metadata()));
            return new ShardedSafeTensors(index, List.copyOf(openShards.values()),
                    Collections.unmodifiableMap(shardOfTensor), Collections.unmodifiableMap(metadata));
        } catch (RuntimeException e) {
            openShards.values().forEach(SafeTensors::close);
            throw e;
        }
    }

    private static SafeTensors openShard(ShardIndex index, String tensor, String shardName) {
        Path shardPath = index.shardPath(shardName);
        if (!Files.isRegularFile(shardPath)) {
            throw new SafeTensorsFormatException(index.indexFile() + ": shard file " + shardName + " (for tensor '"
                    + tensor + "') is missing: " + shardPath);
        }
        return SafeTensors.open(shardPath);
    }

    /** The index this was opened from. */
    public ShardIndex index() {
        return index;
    }

    /** The open shards, in the order the index first names them. */
    public List<SafeTensors> shards() {
        return shards;
    }

    @Override
    public Set<String> names() {
        return shardOfTensor.keySet();
    }


    @Override
    public TensorView tensor(String name) {
        SafeTensors shard = shardOfTensor.get(name);
        if (shard == null) {
            throw new ModelMismatchException("No tensor '" + name + "' in the weight_map of " + index.indexFile());
        }
        return shard.tensor(name);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Unmaps every shard. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (SafeTensors shard : shards) {
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
