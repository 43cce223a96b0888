package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.tensor.MappedTensors;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PyTorch checkpoint ({@code pytorch_model.bin}, {@code *.pt}, {@code *.pth}) read safely: the state dict as
 * named tensors, without ever running pickled code. Both formats {@code torch.save} writes are read: the zip
 * archive of PyTorch 1.6 and later ({@link TorchZipFile}) and the legacy format before it ({@link TorchLegacyFile}).
 * Their pickles go through {@link WeightsOnlyUnpickler}, which accepts what {@code torch.load(weights_only=True)}
 * accepts and refuses the rest ({@code posix.system}, {@code builtins.eval}, any other class or function).
 *
 * <p>The file is memory-mapped. A contiguous little-endian tensor is a view of its storage's bytes in place (torch
 * writes storages uncompressed, so a zip checkpoint's weights map straight out of the file); non-contiguous and
 * big-endian tensors are copied once, at open. Several tensors may share one storage. Entries of the state dict
 * that are not tensors are ignored (a file with no tensor at all is refused, saying what it holds instead); integer tensors (such as {@code position_ids}) are views like the others, for a
 * model to use or ignore. Closing unmaps the file and frees the copies.
 */
public final class TorchCheckpoint implements TensorSource {
    private final Path file;
    private final MappedTensors tensors;

    private TorchCheckpoint(Path file, Arena arena, Map<String, TensorView> views) {
        this.file = file;
        this.tensors = new MappedTensors(file, "Checkpoint", arena, views);
    }

    /** Whether a file's first bytes look like a PyTorch checkpoint: a zip archive or a pickle. */
    public static boolean looksLikeOne(byte[] head) {
        return ZipArchive.startsLikeOne(head) || TorchLegacyFile.startsLikeOne(head);
    }

    /**
     * Maps and reads a checkpoint.
     *
     * @throws InputException         when the file cannot be read
     * @throws FormatException        when it is malformed, is not a PyTorch checkpoint, or its pickle uses anything
     *                                outside the weights-only subset (the message names the opcode or global)
     * @throws ResourceLimitException when it exceeds one of {@code limits}
     */
    public static TorchCheckpoint open(Path file, CheckpointLimits limits) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            String fileName = file.toString();
            StateDict stateDict = readContainer(mapped, fileName, limits);
            return new TorchCheckpoint(file, arena, views(stateDict, fileName, limits, arena));
        } catch (NoSuchFileException e) {
            arena.close();
            throw new InputException("No such checkpoint file: " + file, e);
        } catch (IOException e) {
            arena.close();
            throw new InputException("Cannot read checkpoint file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static StateDict readContainer(MemorySegment mapped, String fileName, CheckpointLimits limits) {
        byte[] head = mapped.asSlice(0, Math.min(4, mapped.byteSize())).toArray(ValueLayout.JAVA_BYTE);
        if (ZipArchive.startsLikeOne(head)) {
            return TorchZipFile.read(mapped, fileName, limits);
        }
        if (TorchLegacyFile.startsLikeOne(head)) {
            return TorchLegacyFile.read(mapped, fileName, limits);
        }
        throw new FormatException(fileName + ": not a PyTorch checkpoint: it is neither a zip archive (torch.save"
                + " since PyTorch 1.6) nor a pickle (the legacy format)");
    }

    /** The state dict's tensors as views, each checked against its storage. */
    private static Map<String, TensorView> views(StateDict stateDict, String fileName, CheckpointLimits limits,
                                                 Arena arena) {
        if (!(stateDict.root() instanceof LinkedHashMap<?, ?> dict)) {
            throw new FormatException(fileName + ": does not hold a state dict (a dict of tensors)");
        }
        if (dict.values().stream().noneMatch(RebuiltTensor.class::isInstance)) {
            // torch.load would return it, but no model can use it; say what it holds instead of showing nothing.
            throw new FormatException(fileName + ": holds no tensors: its top level is "
                    + (dict.isEmpty() ? "an empty dict" : "a dict of " + dict.size() + " entries, keys "
                    + firstKeys(dict) + " (a training checkpoint? its weights may be nested one level down)"));
        }
        Map<String, TensorView> views = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : dict.entrySet()) {
            if (!(entry.getKey() instanceof String name) || !(entry.getValue() instanceof RebuiltTensor tensor)) {
                continue; // not a weight: a step counter, a config, nested optimizer state
            }
            if (views.size() >= limits.maxTensors()) {
                throw new ResourceLimitException(fileName + ": more than " + limits.maxTensors()
                        + " tensors (CheckpointLimits.maxTensors)");
            }
            views.put(name, view(name, tensor, stateDict, fileName, arena));
        }
        return Collections.unmodifiableMap(views);
    }

    private static String firstKeys(Map<?, ?> dict) {
        return dict.keySet().stream().limit(8).map(key -> key instanceof String text ? "'" + text + "'" : "?")
                .collect(Collectors.joining(", ", "[", dict.size() > 8 ? ", ...]" : "]"));
    }

    private static TensorView view(String name, RebuiltTensor tensor, StateDict stateDict, String fileName,
                                   Arena arena) {
        String what = fileName + ": tensor '" + name + "'";
        StorageRef storage = tensor.storage();
        MemorySegment storageBytes = stateDict.storageBytes().get(storage.key());
        if (storageBytes == null) {
            throw new FormatException(what + " reads storage '" + storage.key() + "', which the file does not hold"
                    + " (missing storage)");
        }
        int elementBytes = storage.dtype().byteSize();
        TensorLayout layout = TensorLayout.of(tensor, storageBytes.byteSize() / elementBytes, what);
        MemorySegment bytes = layout.bytes(storageBytes, elementBytes, stateDict.order(), arena);
        return new TensorView(name, storage.dtype(), layout.shape(), bytes);
    }

    @Override
    public List<Path> files() {
        return List.of(file);
    }

    @Override
    public Set<String> names() {
        return tensors.names();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when this checkpoint has been closed
     */
    @Override
    public TensorView tensor(String name) {
        return tensors.tensor(name);
    }

    /** PyTorch checkpoints carry no metadata: empty. */
    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    /** Unmaps the file and frees the copied tensors. Idempotent. */
    @Override
    public void close() {
        tensors.close();
    }
}
