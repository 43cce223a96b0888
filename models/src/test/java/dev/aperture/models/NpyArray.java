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
 * A numpy {@code .npy} array (format 1.0/2.0, little-endian, C order) read for tests: float32, int64 or uint8,
 * exposed as doubles with its shape.
 */
public record NpyArray(int[] shape, double[] values) {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public static NpyArray read(Path file) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            int major = buffer.get(6);
            int headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort(8)) : buffer.getInt(8);
            int dataStart = (major == 1 ? 10 : 12) + headerLength;
            String header = new String(buffer.array(), dataStart - headerLength, headerLength, StandardCharsets.US_ASCII);
            boolean fortranOrder = header.contains("'fortran_order': True");
            String descr = find(DESCR, header, file);
            int[] shape = Arrays.stream(find(SHAPE, header, file).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            double[] values = new double[count];
            buffer.position(dataStart);
            for (int i = 0; i < count; i++) {
                values[i] = switch (descr) {
                    case "<f4" -> buffer.getFloat();
                    case "<f8" -> buffer.getDouble();
                    case "<i8" -> buffer.getLong();
                    case "|u1" -> Byte.toUnsignedInt(buffer.get());
                    default -> throw new IllegalArgumentException(file + ": unsupported dtype " + descr);
                };
            }
            return new NpyArray(shape, fortranOrder ? toRowMajor(file, values, shape) : values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 2-D array stored column-major (a saved transpose), reordered row-major. */
    private static double[] toRowMajor(Path file, double[] columnMajor, int[] shape) {
        if (shape.length != 2) {
            throw new IllegalArgumentException(file + ": Fortran order is supported for 2-D arrays only");
        }
        double[] rowMajor = new double[columnMajor.length];
        for (int r = 0; r < shape[0]; r++) {
            for (int c = 0; c < shape[1]; c++) {
                rowMajor[r * shape[1] + c] = columnMajor[c * shape[0] + r];
            }
        }
        return rowMajor;
    }

    private static String find(Pattern pattern, String header, Path file) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": bad .npy header " + header);
        }
        return m.group(1);
    }

    /** Row {@code i} of a 2-D array, as floats. */
    public float[] row(int i) {
        int cols = shape[shape.length - 1];
        float[] out = new float[cols];
        for (int j = 0; j < cols; j++) {
            out[j] = (float) values[i * cols + j];
        }
        return out;
    }

    /** Element (i, j) of a 2-D array. */
    public double get(int i, int j) {
        return values[i * shape[1] + j];
    }
}
