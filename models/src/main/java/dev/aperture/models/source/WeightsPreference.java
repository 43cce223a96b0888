package dev.aperture.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which weights of a repository a model is loaded from, in transformers' order of preference:
 * <ol>
 *   <li>{@code model.safetensors};</li>
 *   <li>{@code model.safetensors.index.json} and every shard it lists;</li>
 *   <li>the same two from the revision's safetensors conversion pull request, where the source can have one
 *       ({@link FileFetcher#conversionPullRequest()}: the hub and its cache, not a local folder);</li>
 *   <li>{@code pytorch_model.bin};</li>
 *   <li>{@code pytorch_model.bin.index.json} and every shard it lists.</li>
 * </ol>
 * The first form present is used and nothing after it is fetched. An index whose shards are not all there is
 * reported missing rather than passed over, as transformers fails on it too. Pickle checkpoints may be fetched:
 * {@link dev.aperture.core.checkpoint.Checkpoints} reads them with a weights-only unpickler that runs no code.
 *
 * <p>For a base name {@code B} ({@link ModelFiles#weightsName()}) the files are {@code B.safetensors} and
 * {@code pytorch_B.bin}: transformers' SAFE_WEIGHTS_NAME and WEIGHTS_NAME for {@code model}.
 */
final class WeightsPreference {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Form safetensors;
    private final Form pickle;

    WeightsPreference(String baseName) {
        safetensors = new Form(baseName + ".safetensors", ".safetensors");
        pickle = new Form("pytorch_" + baseName + ".bin", ".bin");
    }

    /**
     * The weights a model would be loaded from.
     *
     * @param file        the file to open: a single weights file, or a sharded checkpoint's index
     * @param pullRequest the conversion pull request whose snapshot holds {@code file}, if it came from one
     */
    record Found(Path file, Optional<ConversionPullRequest> pullRequest) {
    }

    /** The file names this preference may fetch first (for checking names in {@link ModelFiles}). */
    List<String> preferredNames() {
        return List.of(safetensors.single(), pickle.single());
    }

    /**
     * Fetches the first form of weights {@code source} has; when it has none, or the index it has lacks shards,
     * appends what is missing to {@code missing}.
     *
     * @param origin names the source in error messages (a folder, a repo and revision)
     */
    Optional<Found> collect(FileFetcher source, String origin, List<String> missing) {
        Optional<Path> own = safetensors.collect(source, origin, missing);
        if (own.isPresent()) {
            return Optional.of(new Found(own.get(), Optional.empty()));
        }
        Optional<FileFetcher.PullRequestFiles> conversion = source.conversionPullRequest();
        if (conversion.isPresent()) {
            ConversionPullRequest pullRequest = conversion.get().pullRequest();
            Optional<Path> converted = safetensors.collect(conversion.get().files(),
                    origin + "'s conversion pull request " + pullRequest.revision(), missing);
            if (converted.isPresent()) {
                return Optional.of(new Found(converted.get(), Optional.of(pullRequest)));
            }
        }
        Optional<Path> pickled = pickle.collect(source, origin, missing);
        if (pickled.isPresent()) {
            return Optional.of(new Found(pickled.get(), Optional.empty()));
        }
        missing.add(safetensors.single() + " (or " + safetensors.index() + " with its shards, or "
                + pickle.single() + ", or " + pickle.index() + " with its shards)");
        return Optional.empty();
    }

    /** One form of weights: a single file, or an index listing shards of the same kind. */
    private record Form(String single, String shardSuffix) {

        String index() {
            return single + ".index.json";
        }

        /** The single file or the index, with every shard fetched (missing ones appended); empty when neither. */
        Optional<Path> collect(FileFetcher source, String origin, List<String> missing) {
            Optional<Path> file = source.fetch(single);
            if (file.isPresent()) {
                return file;
            }
            Optional<Path> indexFile = source.fetch(index());
            if (indexFile.isEmpty()) {
                return Optional.empty();
            }
            for (String shard : shardsListedIn(indexFile.get(), index() + " of " + origin, shardSuffix)) {
                if (source.fetch(shard).isEmpty()) {
                    missing.add(shard + " (a shard listed in " + index() + " of " + origin + ")");
                }
            }
            return indexFile;
        }
    }

    /**
     * The shard file names of an index ({@code weight_map} values), each checked, deduplicated and required to end
     * with {@code suffix}: a safetensors index lists safetensors shards, a pickle index lists {@code .bin} shards.
     */
    static List<String> shardsListedIn(Path index, String origin, String suffix) {
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
            if (!shard.endsWith(suffix)) {
                throw new InputException(origin + " lists shard '" + shard + "', which is not a " + suffix
                        + " file like the index");
            }
            shards.add(shard);
        }
        return List.copyOf(shards);
    }
}
