package dev.aperture.models.clip;

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
 * A minimal reader of the fixtures' {@code .npy} files: format 1.0/2.0, little-endian {@code <f4} or {@code <i8},
 * C order or (2-D only, e.g. a saved transpose) Fortran order. Values come back flat, row-major (C order), with
 * the shape alongside.
 */
record Npy(String descr, int[] shape, float[] floats, long[] longs) {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static Npy read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException(file + " is not a .npy file");
        }
        int major = bytes[6];
        int headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort(8)) : buffer.getInt(8);
        int dataStart = (major == 1 ? 10 : 12) + headerLength;
        String header = new String(bytes, major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
        boolean fortranOrder = header.contains("'fortran_order': True");
        Matcher descr = DESCR.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !shapeMatch.find()) {
            throw new IllegalArgumentException(file + " has an unreadable header: " + header);
        }
        int[] shape = Arrays.stream(shapeMatch.group(1).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        buffer.position(dataStart);
        return switch (descr.group(1)) {
            case "<f4" -> {
                float[] values = new float[count];
                buffer.asFloatBuffer().get(values);
                yield new Npy("<f4", shape, fortranOrder ? toRowMajor(file, values, shape) : values, null);
            }
            case "<i8" -> {
                long[] values = new long[count];
                buffer.asLongBuffer().get(values);
                if (fortranOrder) {
                    throw new IllegalArgumentException(file + ": Fortran-order integer arrays are not supported");
                }
                yield new Npy("<i8", shape, null, values);
            }
            default -> throw new IllegalArgumentException(file + " has unsupported dtype " + descr.group(1));
        };
    }

    /** A 2-D array stored column-major, reordered row-major. */
    private static float[] toRowMajor(Path file, float[] columnMajor, int[] shape) {
        if (shape.length != 2) {
            throw new IllegalArgumentException(file + ": Fortran order is supported for 2-D arrays only");
        }
        float[] rowMajor = new float[columnMajor.length];
        for (int r = 0; r < shape[0]; r++) {
            for (int c = 0; c < shape[1]; c++) {
                rowMajor[r * shape[1] + c] = columnMajor[c * shape[0] + r];
            }
        }
        return rowMajor;
    }

    /** A 2-D int64 array as int rows. */
    int[][] intRows() {
        int[][] rows = new int[shape[0]][shape[1]];
        for (int r = 0; r < shape[0]; r++) {
            for (int c = 0; c < shape[1]; c++) {
                rows[r][c] = Math.toIntExact(longs[r * shape[1] + c]);
            }
        }
        return rows;
    }

    /** The first dimension as rows, each the flattened rest. */
    float[][] floatRows() {
        int cols = floats.length / shape[0];
        float[][] rows = new float[shape[0]][];
        for (int r = 0; r < shape[0]; r++) {
            rows[r] = Arrays.copyOfRange(floats, r * cols, (r + 1) * cols);
        }
        return rows;
    }
}
