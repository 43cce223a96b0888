package dev.aperture.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which files of a repository a model needs. Only these are downloaded (a hub repository often also holds
 * pickle, ONNX, TensorFlow and Flax weights we must not fetch).
 *
 * <ul>
 *   <li>{@code required}: must exist; a 404 is an error naming the file.</li>
 *   <li>{@code optional}: fetched when present; a 404 is fine.</li>
 *   <li>{@code alternatives}: groups of files of which at least one group must be complete (a tokenizer as
 *       {@code tokenizer.json} or as {@code vocab.json + merges.txt}); every file present is fetched, so the
 *       caller may pick either form.</li>
 *   <li>{@code weightsName}: base name of the safetensors weights, {@code model} for {@code model.safetensors}
 *       or, when that is absent, {@code model.safetensors.index.json} and every shard it lists. Null for none.
 *       Pickle weights ({@code pytorch_model.bin}) are never fetched: pickle can run code when loaded.</li>
 * </ul>
 *
 * @param required     files that must exist
 * @param optional     files fetched when present
 * @param alternatives groups of which at least one must be fully present
 * @param weightsName  safetensors base name, or null when the model has no weights
 */
public record ModelFiles(List<String> required, List<String> optional, List<List<String>> alternatives,
                         String weightsName) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks every name (no '..', no absolute paths, no backslashes) and copies the lists. */
    public ModelFiles {
        required = checked(required);
        optional = checked(optional);
        alternatives = alternatives.stream().map(ModelFiles::checked).toList();
        if (weightsName != null) {
            RepoPaths.checkFileName(weightsName + ".safetensors", "the model file set");
        }
    }

    /**
     * The files a transformers CLIP model needs: config.json; model.safetensors or its sharded form;
     * tokenizer.json or vocab.json + merges.txt (all of them when present); tokenizer_config.json,
     * special_tokens_map.json and preprocessor_config.json when present.
     */
    public static ModelFiles clip() {
        return new ModelFiles(
                List.of("config.json"),
                List.of("tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json"),
                List.of(List.of("tokenizer.json"), List.of("vocab.json", "merges.txt")),
                "model");
    }

    /**
     * Fetches the files this set names from {@code source} and returns what is still missing: one line per
     * required file or unsatisfied group, empty when the model is complete.
     *
     * @param origin names the source in error messages (a folder, a repo and revision)
     * @throws InputException if the source has only pickle weights
     */
    List<String> collect(FileFetcher source, String origin) {
        List<String> missing = new ArrayList<>();
        for (String file : required) {
            if (source.fetch(file).isEmpty()) {
                missing.add(file);
            }
        }
        for (String file : optional) {
            source.fetch(file);
        }
        collectAlternatives(source, missing);
        if (weightsName != null) {
            collectWeights(source, origin, missing);
        }
        return missing;
    }

    private void collectAlternatives(FileFetcher source, List<String> missing) {
        boolean anyComplete = alternatives.isEmpty();
        for (List<String> group : alternatives) {
            boolean complete = true;
            for (String file : group) {
                complete &= source.fetch(file).isPresent();
            }
            anyComplete |= complete;
        }
        if (!anyComplete) {
            missing.add(String.join(" or ", alternatives.stream().map(g -> String.join(" + ", g)).toList()));
        }
    }

    private void collectWeights(FileFetcher source, String origin, List<String> missing) {
        String single = weightsName + ".safetensors";
        if (source.fetch(single).isPresent()) {
            return;
        }
        String indexName = single + ".index.json";
        Optional<Path> index = source.fetch(indexName);
        if (index.isEmpty()) {
            refuseIfOnlyPickle(source, origin);
            missing.add(single + " (or " + indexName + " with its shards)");
            return;
        }
        for (String shard : shardsListedIn(index.get(), indexName + " of " + origin)) {
            if (source.fetch(shard).isEmpty()) {
                missing.add(shard + " (a shard listed in " + indexName + ")");
            }
        }
    }

    private static void refuseIfOnlyPickle(FileFetcher source, String origin) {
        for (String pickle : List.of("pytorch_model.bin", "pytorch_model.bin.index.json")) {
            if (source.exists(pickle)) {
                throw new InputException(origin + " has weights only as " + pickle + " (a Python pickle, which"
                        + " can run arbitrary code when loaded); Aperture loads only safetensors. Use a revision"
                        + " or repository that has model.safetensors, or convert the weights to safetensors.");
            }
        }
    }

    /** The shard file names of a safetensors index ({@code weight_map} values), each checked and deduplicated. */
    static List<String> shardsListedIn(Path index, String origin) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new FormatException("cannot read " + origin + " at " + index + ": " + e.getMessage(), e);
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new FormatException(origin + " at " + index + " has no weight_map object listing the shards");
        }
        TreeSet<String> shards = new TreeSet<>();
        for (JsonNode value : weightMap) {
            String shard = RepoPaths.checkFileName(value.asText(null), origin);
            if (!shard.endsWith(".safetensors")) {
                throw new InputException(origin + " lists shard '" + shard + "', which is not a .safetensors file;"
                        + " Aperture loads only safetensors");
            }
            shards.add(shard);
        }
        return List.copyOf(shards);
    }

    private static List<String> checked(List<String> files) {
        for (String file : files) {
            RepoPaths.checkFileName(file, "the model file set");
        }
        return List.copyOf(files);
    }
}
