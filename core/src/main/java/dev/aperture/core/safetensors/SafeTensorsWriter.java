package dev.aperture.core.safetensors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.aperture.core.InputException;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes safetensors files the way the reference implementation does: tensors sorted by descending element width,
 * then by name (so every tensor stays aligned to its element size), {@code __metadata__} first when present, the
 * JSON header padded with spaces to a multiple of 8 bytes. Tensor bytes are streamed through a small buffer; the file
 * is written next to its destination and moved into place only when complete.
 */
public final class SafeTensorsWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int HEADER_ALIGNMENT = 8;

    private SafeTensorsWriter() {
    }

    /**
     * Writes {@code tensors} (any order; names unique) and {@code metadata} (may be empty) to {@code file}.
     *
     * @throws IllegalArgumentException when names repeat, a name is {@code __metadata__}, or a tensor's content does
     *                                  not produce exactly its byte size
     * @throws InputException           when the file cannot be written
     */
    public static void write(Path file, List<TensorToWrite> tensors, Map<String, String> metadata) {
        List<TensorToWrite> ordered = inFileOrder(tensors);
        byte[] header = headerBytes(ordered, metadata);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
                out.write(header);
                for (TensorToWrite tensor : ordered) {
                    writeContent(tensor, out);
                }
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InputException("Cannot write safetensors file " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // Best effort: the real failure, if any, is already being reported.
            }
        }
    }

    /** The order tensors take in a written file: widest element first, then by name. */
    static List<TensorToWrite> inFileOrder(List<TensorToWrite> tensors) {
        Set<String> seen = new HashSet<>();
        for (TensorToWrite tensor : tensors) {
            if (tensor.name().equals("__metadata__") || !seen.add(tensor.name())) {
                throw new IllegalArgumentException("Tensor name '" + tensor.name() + "' is reserved or repeated");
            }
        }
        List<TensorToWrite> ordered = new ArrayList<>(tensors);
        ordered.sort(Comparator.comparingInt((TensorToWrite t) -> -t.dtype().bitSize()).thenComparing(TensorToWrite::name));
        return ordered;
    }

    private static byte[] headerBytes(List<TensorToWrite> ordered, Map<String, String> metadata) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator generator = JSON.createGenerator(json, JsonEncoding.UTF8)) {
            generator.writeStartObject();
            if (!metadata.isEmpty()) {
                generator.writeObjectFieldStart("__metadata__");
                for (Map.Entry<String, String> entry : metadata.entrySet()) {
                    generator.writeStringField(entry.getKey(), entry.getValue());
                }
                generator.writeEndObject();
            }
            long offset = 0;
            for (TensorToWrite tensor : ordered) {
                generator.writeObjectFieldStart(tensor.name());
                generator.writeStringField("dtype", tensor.dtype().name());
                generator.writeArrayFieldStart("shape");
                for (long dim : tensor.shape()) {
                    generator.writeNumber(dim);
                }
                generator.writeEndArray();
                generator.writeArrayFieldStart("data_offsets");
                generator.writeNumber(offset);
                offset += tensor.byteSize();
                generator.writeNumber(offset);
                generator.writeEndArray();
                generator.writeEndObject();
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("Writing JSON to memory failed", e);
        }
        while (json.size() % HEADER_ALIGNMENT != 0) {
            json.write(' ');
        }
        return json.toByteArray();
    }

    private static void writeContent(TensorToWrite tensor, OutputStream out) throws IOException {
        CountingStream counting = new CountingStream(out);
        tensor.content().writeTo(counting);
        if (counting.count != tensor.byteSize()) {
            throw new IllegalArgumentException("Tensor '" + tensor.name() + "' produced " + counting.count
                    + " bytes, its shape and dtype need " + tensor.byteSize());
        }
    }

    /** Passes bytes through, counting them, so a content that writes too few or too many bytes is caught. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }

        @Override
        public void close() {
            // The caller owns the underlying stream.
        }
    }
}
