package dev.aperture.models.source;

import java.nio.file.Path;

/**
 * A model's files on this machine, as {@link ModelSource#resolve} found them: the folder with its config, tokenizer
 * and preprocessor files, and where its weights are. The two differ for a hub model whose safetensors weights come
 * from the hub's conversion pull request: those lie in that pull request's own snapshot.
 *
 * @param folder  the folder holding config.json and the other small files
 * @param weights the weights to open with {@link dev.aperture.core.checkpoint.Checkpoints#open}: a weights file, a
 *                sharded checkpoint's index, or a folder (which then gives its preferred weights file).
 *                {@link ModelSource#resolve} names the file it chose, e.g.
 *                {@code snapshots/<commit>/model.safetensors}, {@code snapshots/<pull request commit>/model.safetensors}
 *                or {@code snapshots/<commit>/pytorch_model.bin}
 */
public record ResolvedModel(Path folder, Path weights) {

    /** A model folder that holds its own weights. */
    public static ResolvedModel ofFolder(Path folder) {
        return new ResolvedModel(folder, folder);
    }
}
