package dev.aperture.core.safetensors;

import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.tensor.MappedTensors;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file, memory-mapped. Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code name -> {dtype, shape, data_offsets}} plus optional {@code __metadata__}), then the data.
 * Tensor views point into the mapping; nothing is copied.
 *
 * <p>The header is read and fully validated ({@link SafeTensorsHeader}) before the file is mapped, so a malformed file
 * fails with a {@link SafeTensorsFormatException} and never makes this allocate more than the header cap.
 * Closing unmaps the file; a view used afterwards throws {@link IllegalStateException}.
 *
 * <p>Entry points: {@link #open(Path)} for one file, {@link #write} to create one;
 * {@link dev.aperture.core.checkpoint.Checkpoints#open} opens any checkpoint (a file, an index, a model folder).
 */
public final class SafeTensors implements TensorSource {
    /** Bytes of the little-endian header length that starts every file. */
    static final int LENGTH_PREFIX_BYTES = 8;
    static final String SINGLE_FILE_NAME = "model.safetensors";
    static final String INDEX_FILE_NAME = "model.safetensors.index.json";

    private final Path file;
    private final MappedTensors tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, Arena arena, Map<String, TensorView> views, Map<String, String> metadata) {
        this.file = file;
        this.tensors = new MappedTensors(file, "Safetensors file", arena, views);
        this.metadata = metadata;
    }

    /** Maps and parses one {@code .safetensors} file with the {@linkplain CheckpointLimits#DEFAULT default limits}. */
    public static SafeTensors open(Path file) {
        return open(file, CheckpointLimits.DEFAULT);
    }

    /**
     * Maps and parses one {@code .safetensors} file.
     *
     * @throws InputException              when the file cannot be read
     * @throws SafeTensorsFormatException  when it is malformed
     * @throws ResourceLimitException      when its header is larger, or declares more tensors, than {@code limits} allow
     */
    public static SafeTensors open(Path file, CheckpointLimits limits) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            long headerLength = readHeaderLength(file, channel, fileSize, limits);
            byte[] json = readFully(channel, LENGTH_PREFIX_BYTES, (int) headerLength);
            long dataStart = LENGTH_PREFIX_BYTES + headerLength;
            SafeTensorsHeader header = SafeTensorsHeader.parse(file.toString(), json, fileSize - dataStart, limits);
            return map(file, channel, fileSize, dataStart, header);
        } catch (NoSuchFileException e) {
            throw new InputException("No such safetensors file: " + file, e);
        } catch (IOException e) {
            throw new InputException("Cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes tensors to a new safetensors file (replacing {@code file} once complete), streaming each tensor's bytes.
     * See {@link SafeTensorsWriter} for the layout and order.
     *
     * @param metadata the {@code __metadata__} entries; empty for none
     */
    public static void write(Path file, List<TensorToWrite> tensors, Map<String, String> metadata) {
        SafeTensorsWriter.write(file, tensors, metadata);
    }

    /** Writes tensors to a new safetensors file without metadata. */
    public static void write(Path file, List<TensorToWrite> tensors) {
        SafeTensorsWriter.write(file, tensors, Map.of());
    }

    private static long readHeaderLength(Path file, FileChannel channel, long fileSize, CheckpointLimits limits)
            throws IOException {
        if (fileSize < LENGTH_PREFIX_BYTES) {
            throw new SafeTensorsFormatException(file + ": file is " + fileSize
                    + " bytes, shorter than the 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(readFully(channel, 0, LENGTH_PREFIX_BYTES))
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
        // Compared unsigned: a length of 2^63 or more reads as negative.
        if (Long.compareUnsigned(headerLength, fileSize - LENGTH_PREFIX_BYTES) > 0) {
            throw new SafeTensorsFormatException(file + ": header length " + Long.toUnsignedString(headerLength)
                    + " is larger than the file (" + fileSize + " bytes)");
        }
        if (headerLength > limits.maxHeaderBytes()) {
            throw new ResourceLimitException(file + ": header length " + headerLength
                    + " bytes exceeds the limit of " + limits.maxHeaderBytes() + " bytes (CheckpointLimits.maxHeaderBytes)");
        }
        return headerLength;
    }

    private static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("file ended early (was it truncated while being read?)");
            }
        }
        return buffer.array();
    }

    private static SafeTensors map(Path file, FileChannel channel, long fileSize, long dataStart,
                                   SafeTensorsHeader header) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, arena);
            Map<String, TensorView> views = new LinkedHashMap<>();
            for (TensorInfo info : header.tensors()) {
                MemorySegment bytes = mapped.asSlice(dataStart + info.begin(), info.byteSize());
                views.put(info.name(), new TensorView(info.name(), info.dtype(), info.shape(), bytes));
            }
            return new SafeTensors(file, arena, Collections.unmodifiableMap(views), header.metadata());
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The file this was opened from. */
    public Path file() {
        return file;
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
     * @throws IllegalStateException when this file has been closed
     */
    @Override
    public TensorView tensor(String name) {
        return tensors.tensor(name);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Unmaps the file. Idempotent. */
    @Override
    public void close() {
        tensors.close();
    }
}
