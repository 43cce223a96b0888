package dev.aperture.core.checkpoint;

import dev.aperture.core.InputException;
import dev.aperture.core.pytorch.TorchCheckpoint;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.tensor.TensorSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Opens model weights in whichever form Hugging Face repositories ship them, as one {@link TensorSource}:
 * <ul>
 *   <li>a safetensors file ({@link SafeTensors}), memory-mapped, zero-copy;</li>
 *   <li>a PyTorch checkpoint ({@code pytorch_model.bin}, zip or legacy format), read by a weights-only unpickler
 *       that never runs code ({@link TorchCheckpoint});</li>
 *   <li>a sharded checkpoint's index ({@code *.index.json}) over shards of either kind ({@link ShardedCheckpoint});</li>
 *   <li>a model folder: the first of {@link #WEIGHT_FILES} it holds.</li>
 * </ul>
 */
public final class Checkpoints {
    /**
     * Weight files a model folder may hold, in the order they are preferred (transformers' order). A hub model's
     * weights follow the same order, with the hub's safetensors conversion pull request between the safetensors and
     * the PyTorch forms (the models module's {@code WeightsPreference}).
     */
    public static final List<String> WEIGHT_FILES = List.of("model.safetensors", "model.safetensors.index.json",
            "pytorch_model.bin", "pytorch_model.bin.index.json");

    private Checkpoints() {
    }

    /** {@link #open(Path, CheckpointLimits)} with {@link CheckpointLimits#DEFAULT}. */
    public static TensorSource open(Path fileOrFolder) {
        return open(fileOrFolder, CheckpointLimits.DEFAULT);
    }

    /**
     * Opens a weights file, a sharded checkpoint's index, or a model folder's preferred weights.
     *
     * @throws InputException                        when the path does not exist, or a folder holds no weights
     * @throws dev.aperture.core.FormatException     when the file is malformed, or a pickle asks for anything a
     *                                               weights-only checkpoint may not hold
     * @throws dev.aperture.core.ResourceLimitException when it exceeds one of {@code limits}
     */
    public static TensorSource open(Path fileOrFolder, CheckpointLimits limits) {
        if (Files.isDirectory(fileOrFolder)) {
            Path weights = weightsIn(fileOrFolder).orElseThrow(() -> new InputException("Folder " + fileOrFolder
                    + " holds no model weights: none of " + String.join(", ", WEIGHT_FILES)));
            return open(weights, limits);
        }
        if (!Files.exists(fileOrFolder)) {
            throw new InputException("No such checkpoint file or folder: " + fileOrFolder);
        }
        if (fileOrFolder.getFileName().toString().endsWith(".json")) {
            return ShardedCheckpoint.open(fileOrFolder, limits);
        }
        return openFile(fileOrFolder, limits);
    }

    /** The weights file a folder would be loaded from: the first of {@link #WEIGHT_FILES} present in it. */
    public static Optional<Path> weightsIn(Path folder) {
        return WEIGHT_FILES.stream().map(folder::resolve).filter(Files::isRegularFile).findFirst();
    }

    /**
     * Opens one weights file (not an index): {@code .safetensors} files as safetensors; {@code .bin}, {@code .pt}
     * and {@code .pth} files as PyTorch checkpoints; any other file as a PyTorch checkpoint when it starts like a zip
     * archive or a pickle, else as safetensors (whose reader then says what is wrong with it).
     */
    public static TensorSource openFile(Path file, CheckpointLimits limits) {
        String name = file.getFileName().toString();
        boolean torchName = name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth");
        if (torchName || (!name.endsWith(".safetensors") && TorchCheckpoint.looksLikeOne(head(file)))) {
            return TorchCheckpoint.open(file, limits);
        }
        return SafeTensors.open(file, limits);
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(4);
        } catch (NoSuchFileException e) {
            throw new InputException("No such checkpoint file: " + file, e);
        } catch (IOException e) {
            throw new InputException("Cannot read checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }
}
