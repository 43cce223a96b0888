package dev.aperture.models.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which files of a repository a model needs. Only these are downloaded: a hub repository often also holds ONNX,
 * TensorFlow and Flax weights, and the same weights in several formats, of which only one is fetched.
 *
 * <ul>
 *   <li>{@code required}: must exist; a 404 is an error naming the file.</li>
 *   <li>{@code optional}: fetched when present; a 404 is fine.</li>
 *   <li>{@code alternatives}: groups of files of which at least one group must be complete (a tokenizer as
 *       {@code tokenizer.json} or as {@code vocab.json + merges.txt}); every file present is fetched, so the
 *       caller may pick either form.</li>
 *   <li>{@code weightsName}: base name of the weights, {@code model}: the first present of
 *       {@code model.safetensors}, {@code model.safetensors.index.json} with its shards, the hub's safetensors
 *       conversion pull request, {@code pytorch_model.bin}, {@code pytorch_model.bin.index.json} with its shards
 *       ({@link WeightsPreference}). Only that one form is fetched. Null for none.</li>
 * </ul>
 *
 * @param required     files that must exist
 * @param optional     files fetched when present
 * @param alternatives groups of which at least one must be fully present
 * @param weightsName  weights base name, or null when the model has no weights
 */
public record ModelFiles(List<String> required, List<String> optional, List<List<String>> alternatives,
                         String weightsName) {

    /** Checks every name (no '..', no absolute paths, no backslashes) and copies the lists. */
    public ModelFiles {
        required = checked(required);
        optional = checked(optional);
        alternatives = alternatives.stream().map(ModelFiles::checked).toList();
        if (weightsName != null) {
            checked(new WeightsPreference(weightsName).preferredNames());
        }
    }

    /**
     * The files a transformers CLIP model needs: config.json; its weights (see {@code weightsName}); tokenizer.json
     * or vocab.json + merges.txt (all of them when present); tokenizer_config.json, special_tokens_map.json and
     * preprocessor_config.json when present.
     */
    public static ModelFiles clip() {
        return new ModelFiles(
                List.of("config.json"),
                List.of("tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json"),
                List.of(List.of("tokenizer.json"), List.of("vocab.json", "merges.txt")),
                "model");
    }

    /**
     * The files a transformers SigLIP model needs: config.json, its weights, {@code spiece.model} (SigLIP) or
     * {@code tokenizer.json} (SigLIP 2), all of them when present; tokenizer_config.json, special_tokens_map.json and
     * preprocessor_config.json when present.
     */
    public static ModelFiles siglip() {
        return new ModelFiles(
                List.of("config.json"),
                List.of("tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json"),
                List.of(List.of("spiece.model"), List.of("tokenizer.json")),
                "model");
    }

    /**
     * The files a sentence-transformers (BERT-family) model needs: config.json, tokenizer.json and its weights;
     * sentence-transformers' pooling and length settings ({@code modules.json}, {@code 1_Pooling/config.json},
     * {@code sentence_bert_config.json}, {@code config_sentence_transformers.json}) and the tokenizer's side files
     * when present.
     */
    public static ModelFiles sentenceTransformers() {
        return new ModelFiles(
                List.of("config.json", "tokenizer.json"),
                List.of("tokenizer_config.json", "special_tokens_map.json", "modules.json", "1_Pooling/config.json",
                        "sentence_bert_config.json", "config_sentence_transformers.json"),
                List.of(),
                "model");
    }

    /**
     * What {@link #collect} found.
     *
     * @param missing one line per required file or unsatisfied group the source lacks: empty when complete
     * @param weights the weights to open, empty when the set names none or the source has none
     */
    record Collected(List<String> missing, Optional<WeightsPreference.Found> weights) {

        /** The file to open for the weights, or {@code folder} when there are none (it then names no weights). */
        Path weightsOr(Path folder) {
            return weights.map(WeightsPreference.Found::file).orElse(folder);
        }
    }

    /**
     * Fetches the files this set names from {@code source}.
     *
     * @param origin names the source in error messages (a folder, a repo and revision)
     */
    Collected collect(FileFetcher source, String origin) {
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
        Optional<WeightsPreference.Found> weights = weightsName == null ? Optional.empty()
                : new WeightsPreference(weightsName).collect(source, origin, missing);
        return new Collected(List.copyOf(missing), weights);
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

    private static List<String> checked(List<String> files) {
        for (String file : files) {
            RepoPaths.checkFileName(file, "the model file set");
        }
        return List.copyOf(files);
    }
}
