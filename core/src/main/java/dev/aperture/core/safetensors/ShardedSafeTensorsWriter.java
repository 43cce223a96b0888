package dev.aperture.core.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a sharded checkpoint the way Hugging Face does: {@code model-00001-of-0000N.safetensors} files of at most
 * {@code maxShardBytes} of tensor data each (a single larger tensor gets a shard of its own), plus
 * {@code model.safetensors.index.json} with {@code metadata.total_size} and the {@code weight_map}.
 */
public final class ShardedSafeTensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShardedSafeTensorsWriter() {
    }

    /**
     * Writes the shards and the index into {@code folder} (created if needed).
     *
     * @return the index file
     */
    public static Path write(Path folder, List<TensorToWrite> tensors, Map<String, String> metadata, long maxShardBytes) {
        List<List<TensorToWrite>> shards = split(SafeTensorsWriter.inFileOrder(tensors), maxShardBytes);
        ObjectNode index = JSON.createObjectNode();
        ObjectNode weightMap = JSON.createObjectNode();
        long totalSize = 0;
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < shards.size(); i++) {
                String shardName = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                SafeTensorsWriter.write(folder.resolve(shardName), shards.get(i), metadata);
                for (TensorToWrite tensor : shards.get(i)) {
                    weightMap.put(tensor.name(), shardName);
                    totalSize += tensor.byteSize();
                }
            }
            index.putObject("metadata").put("total_size", totalSize);
            index.set("weight_map", weightMap);
            Path indexFile = folder.resolve(SafeTensors.INDEX_FILE_NAME);
            JSON.writerWithDefaultPrettyPrinter().writeValue(indexFile.toFile(), index);
            return indexFile;
        } catch (IOException e) {
            throw new InputException("Cannot write sharded checkpoint in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static List<List<TensorToWrite>> split(List<TensorToWrite> ordered, long maxShardBytes) {
        List<List<TensorToWrite>> shards = new ArrayList<>();
        List<TensorToWrite> current = new ArrayList<>();
        long currentBytes = 0;
        for (TensorToWrite tensor : ordered) {
            if (!current.isEmpty() && currentBytes + tensor.byteSize() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(tensor);
            currentBytes += tensor.byteSize();
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }
}
