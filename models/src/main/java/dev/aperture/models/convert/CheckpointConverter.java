package dev.aperture.models.convert;

import dev.aperture.core.InputException;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.ShardedSafeTensorsWriter;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.source.ModelSource;
import dev.aperture.models.source.ResolvedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Converts a model's weights, in any form {@link Checkpoints#open} reads (a PyTorch {@code pytorch_model.bin} in
 * either format, sharded {@code .bin} or safetensors checkpoints, {@code model.safetensors}), into a safetensors
 * folder transformers and Aperture load: {@code model.safetensors}, or shards with an index when the tensors exceed
 * {@link ConvertOptions#maxShardBytes()}, plus the config, tokenizer and preprocessor files beside them.
 *
 * <p>Every tensor keeps its name, including integer buffers such as {@code position_ids}; files carry the metadata
 * {@code {"format": "pt"}}, without which transformers refuses a safetensors file. Tensors are streamed one at a time
 * (a 4 GB checkpoint needs no 4 GB of memory), and the written files are read back and compared with the source,
 * tensor by tensor, before anything appears in the output folder ({@link OutputFolder}).
 */
public final class CheckpointConverter {
    /** transformers reads this metadata to know the tensors follow PyTorch's names and layout. */
    static final Map<String, String> METADATA = Map.of("format", "pt");
    private static final String SINGLE_FILE = "model.safetensors";

    private CheckpointConverter() {
    }

    /**
     * Converts the model in a local folder, or a Hugging Face hub id ({@code org/name[@revision]}, fetched into the
     * hub cache like any model: its config, tokenizer and preprocessor files and its weights, in transformers'
     * order of preference, see {@link ModelFiles}), into {@code out}.
     *
     * @throws InputException when the source cannot be found or read, holds a tensor the target type cannot be cast
     *                        from (FP8, FP4, complex), or {@code out} is a file, is the source folder, or is not
     *                        empty and {@link ConvertOptions#overwrite()} is false
     * @throws dev.aperture.core.ModelMismatchException when the files written differ from the source (nothing is
     *                        kept then)
     * @throws dev.aperture.core.ApertureException for any other failure to read the source or reach the hub; the
     *                        output folder is left as it was
     */
    public static ConversionResult convert(String folderOrHubId, Path out, ConvertOptions options) {
        return convert(resolve(folderOrHubId, options.hub()), out, options);
    }

    /** Converts a model whose files {@link ModelSource#resolve} found; see {@link #convert(String, Path, ConvertOptions)}. */
    public static ConversionResult convert(ResolvedModel model, Path out, ConvertOptions options) {
        List<Path> sourceFolders = List.of(model.folder(), folderOf(model.weights()));
        OutputFolder target = OutputFolder.prepare(out, sourceFolders, options.overwrite());
        boolean committed = false;
        try (TensorSource source = Checkpoints.open(model.weights())) {
            List<TensorToWrite> tensors = TensorPlan.of(source, options.dtype(), options.listener());
            List<String> weightFiles = writeWeights(target.staging(), tensors, options.maxShardBytes());
            try (TensorSource written = Checkpoints.open(target.staging())) {
                ConversionVerifier.verify(source, written, options.dtype(), out, options.listener());
            }
            List<String> copied = ModelFolderFiles.copy(model.folder(), target.staging());
            target.commit(Stream.concat(weightFiles.stream(), copied.stream()).toList());
            committed = true;
            long bytes = tensors.stream().mapToLong(TensorToWrite::byteSize).sum();
            return new ConversionResult(out, weightFiles, copied, tensors.size(), bytes, options.dtype(),
                    weightsFile(model.weights()));
        } finally {
            if (!committed) {
                target.abandon();
            }
        }
    }

    /** Finds the source's files: config.json, whichever small files it has, and its preferred weights. */
    private static ResolvedModel resolve(String folderOrHubId, HubOptions hub) {
        return ModelSource.resolve(folderOrHubId, hub.withFiles(
                new ModelFiles(List.of(ModelFolderFiles.CONFIG), ModelFolderFiles.OPTIONAL, List.of(), "model")));
    }

    /**
     * One file when everything fits, or there is a single tensor (which cannot be split); else transformers' shards.
     * The sharded writer's greedy split gives several shards in exactly the other cases.
     */
    private static List<String> writeWeights(Path folder, List<TensorToWrite> tensors, long maxShardBytes) {
        long total = tensors.stream().mapToLong(TensorToWrite::byteSize).sum();
        if (total <= maxShardBytes || tensors.size() <= 1) {
            SafeTensors.write(folder.resolve(SINGLE_FILE), tensors, METADATA);
            return List.of(SINGLE_FILE);
        }
        Path index = ShardedSafeTensorsWriter.write(folder, tensors, METADATA, maxShardBytes);
        List<String> files = new ArrayList<>(shardsIn(folder));
        files.add(index.getFileName().toString());
        return files;
    }

    private static List<String> shardsIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".safetensors")).sorted().toList();
        } catch (IOException e) {
            throw new InputException("Cannot list the shards written in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Path folderOf(Path weights) {
        return Files.isDirectory(weights) ? weights : weights.toAbsolutePath().getParent();
    }

    private static Path weightsFile(Path weights) {
        return Files.isDirectory(weights) ? Checkpoints.weightsIn(weights).orElse(weights) : weights;
    }
}
