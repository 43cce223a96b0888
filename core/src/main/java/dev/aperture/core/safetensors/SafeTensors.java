package dev.aperture.core.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ModelMismatchException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file, memory-mapped. Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code name -> {dtype, shape, data_offsets}} plus optional {@code __metadata__}), then the data.
 * Tensor views point into the mapping; nothing is copied.
 *
 * <p>TODO(foundation): full validation (offsets, overlaps, caps), writer, sharded index.
 */
public final class SafeTensors implements TensorSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Arena arena;
    private final Map<String, TensorView> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, Arena arena, Map<String, TensorView> tensors, Map<String, String> metadata) {
        this.file = file;
        this.arena = arena;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Maps and parses one {@code .safetensors} file. */
    public static SafeTensors open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            long headerLength = mapped.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            byte[] headerBytes = mapped.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            JsonNode header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
            MemorySegment data = mapped.asSlice(8 + headerLength);
            Map<String, TensorView> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : header.properties()) {
                if (entry.getKey().equals("__metadata__")) {
                    entry.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode info = entry.getValue();
                DType dtype = DType.fromHeaderName(info.get("dtype").asText()).orElseThrow();
                long[] shape = new long[info.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = info.get("shape").get(i).asLong();
                }
                long begin = info.get("data_offsets").get(0).asLong();
                long end = info.get("data_offsets").get(1).asLong();
                tensors.put(entry.getKey(), new TensorView(entry.getKey(), dtype, shape, data.asSlice(begin, end - begin)));
            }
            return new SafeTensors(file, arena, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        } catch (IOException e) {
            arena.close();
            throw new InputException("Cannot read safetensors file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw new FormatException("Malformed safetensors file " + file + ": " + e, e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public TensorView tensor(String name) {
        TensorView view = tensors.get(name);
        if (view == null) {
            throw new ModelMismatchException("No tensor '" + name + "' in " + file);
        }
        return view;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        arena.close();
    }
}
