package dev.aperture.models.bert.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-made ONNX protobuf for tests: fields written byte by byte, so a test can build any malformed file. */
public final class OnnxBytes {
    private OnnxBytes() {
    }

    /** Writes {@code content} as model.onnx in {@code dir}. */
    public static Path write(Path dir, byte[] content) throws IOException {
        return Files.write(dir.resolve("model.onnx"), content);
    }

    /** The given byte values, for writing fields and varints by hand. */
    public static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A length-delimited field: tag, varint length, bytes. */
    public static byte[] field(int number, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (number << 3) | 2);
        writeVarint(out, content.length);
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** The parts one after another. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
