package dev.aperture.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixtures' numpy {@code .npy} arrays, read for tests: format 1.0/2.0, little-endian {@code <f4}, {@code <i8}
 * or {@code |u1}, C order or (2-D float only: a saved transpose) Fortran order. Values come back flat, row-major.
 */
public record Npy(String dtype, int[] shape, float[] floats, long[] longs, byte[] uint8) {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public static Npy read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException(file + " is not a .npy file");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerStart = major == 1 ? 10 : 12;
        int headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort(8)) : buffer.getInt(8);
        String header = new String(bytes, headerStart, headerLength, StandardCharsets.US_ASCII);
        boolean fortranOrder = header.contains("'fortran_order': True");
        String dtype = group(DESCR, header, file);
        int[] shape = Arrays.stream(group(SHAPE, header, file).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        buffer.position(headerStart + headerLength);
        if (fortranOrder && !(dtype.equals("<f4") && shape.length == 2)) {
            throw new IllegalArgumentException(file + ": Fortran order is supported for 2-D float32 arrays only");
        }
        return switch (dtype) {
            case "<f4" -> {
                float[] values = new float[count];
                buffer.asFloatBuffer().get(values);
                yield new Npy(dtype, shape, fortranOrder ? toRowMajor(values, shape) : values, null, null);
            }
            case "<i8" -> {
                long[] values = new long[count];
                buffer.asLongBuffer().get(values);
                yield new Npy(dtype, shape, null, values, null);
            }
            case "|u1", "<u1" -> {
                byte[] values = new byte[count];
                buffer.get(values);
                yield new Npy(dtype, shape, null, null, values);
            }
            default -> throw new IllegalArgumentException(file + " has unsupported dtype " + dtype);
        };
    }

    private static String group(Pattern pattern, String header, Path file) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " has an unreadable header: " + header);
        }
        return m.group(1);
    }

    private static float[] toRowMajor(float[] columnMajor, int[] shape) {
        float[] rowMajor = new float[columnMajor.length];
        for (int r = 0; r < shape[0]; r++) {
            for (int c = 0; c < shape[1]; c++) {
                rowMajor[r * shape[1] + c] = columnMajor[c * shape[0] + r];
            }
        }
        return rowMajor;
    }

    /** A 2-D int64 array as int rows. */
    public int[][] intRows() {
        int[][] rows = new int[shape[0]][shape[1]];
        for (int r = 0; r < shape[0]; r++) {
            for (int c = 0; c < shape[1]; c++) {
                rows[r][c] = Math.toIntExact(longs[r * shape[1] + c]);
            }
        }
        return rows;
    }

    /** The first dimension as rows, each the flattened rest (float32 arrays). */
    public float[][] floatRows() {
        float[][] rows = new float[shape[0]][];
        for (int r = 0; r < shape[0]; r++) {
            rows[r] = row(r);
        }
        return rows;
    }

    /** Row {@code r} (the flattened rest of the first dimension) of a float32 array. */
    public float[] row(int r) {
        int cols = floats.length / shape[0];
        return Arrays.copyOfRange(floats, r * cols, (r + 1) * cols);
    }

    /** Element (i, j) of a 2-D float32 array. */
    public float get(int i, int j) {
        return floats[i * shape[1] + j];
    }
}
