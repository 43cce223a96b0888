package dev.aperture.core.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sharded checkpoint's index, as transformers writes it for safetensors ({@code model.safetensors.index.json}) and
 * PyTorch ({@code pytorch_model.bin.index.json}) shards alike: {@code {"metadata": {...}, "weight_map": {tensor
 * name: shard file name}}}. Shard names must be plain file names in the index's folder; anything that could point
 * elsewhere ({@code ../x}, {@code /abs}, {@code sub/x}) is refused.
 *
 * @param indexFile the index file
 * @param weightMap tensor name to shard file name, in index order
 */
public record ShardIndex(Path indexFile, Map<String, String> weightMap) {
    /** Index files are small (a line per tensor); this bounds what a hostile one can make us read. */
    private static final long MAX_INDEX_BYTES = 64L << 20;
    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public ShardIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
    }

    /**
     * Reads and validates an index file.
     *
     * @throws InputException             when it cannot be read
     * @throws FormatException           when it is malformed
     */
    public static ShardIndex read(Path indexFile) {
        JsonNode root;
        try {
            if (Files.size(indexFile) > MAX_INDEX_BYTES) {
                throw new FormatException(indexFile + ": index file is larger than "
                        + MAX_INDEX_BYTES + " bytes");
            }
            root = STRICT_JSON.readTree(Files.readAllBytes(indexFile));
        } catch (NoSuchFileException e) {
            throw new InputException("No such index file: " + indexFile, e);
        } catch (JacksonException e) {
            throw new FormatException(indexFile + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InputException("Cannot read index file " + indexFile + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new FormatException(indexFile + ": index is not a JSON object");
        }
        JsonNode weights = root.get("weight_map");
        if (weights == null || !weights.isObject()) {
            throw new FormatException(indexFile + ": missing or non-object \"weight_map\"");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : weights.properties()) {
            String where = indexFile + ": tensor '" + entry.getKey() + "'";
            if (!entry.getValue().isTextual()) {
                throw new FormatException(where + ": shard name is not a string");
            }
            weightMap.put(entry.getKey(), checkShardName(indexFile, where, entry.getValue().textValue()));
        }
        return new ShardIndex(indexFile, weightMap);
    }

    private static String checkShardName(Path indexFile, String where, String shard) {
        boolean plainFileName = !shard.isEmpty() && !shard.equals(".") && !shard.equals("..")
                && shard.indexOf('/') < 0 && shard.indexOf('\\') < 0 && shard.indexOf(':') < 0
                && shard.indexOf('\0') < 0;
        if (!plainFileName) {
            throw new FormatException(where + ": shard name \"" + shard
                    + "\" is not a plain file name in the index's folder (refused: it could point outside it)");
        }
        try {
            indexFile.resolveSibling(shard);
        } catch (InvalidPathException e) {
            // Found by fuzzing: characters the platform's file-name encoding cannot represent.
            throw new FormatException(where + ": shard name \"" + shard
                    + "\" is not a valid file name on this system: " + e.getReason(), e);
        }
        return shard;
    }

    /** The path of a shard named in the weight map. */
    public Path shardPath(String shard) {
        Path folder = indexFile.toAbsolutePath().getParent();
        return folder.resolve(shard);
    }
}
