package dev.aperture.models.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal reader for the fixtures' .npy files: format 1.0/2.0 header, C order, little-endian uint8, float32 or
 * int64 data.
 */
record Npy(String dtype, int[] shape, ByteBuffer data) {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    static Npy read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        bytes.get(magic);
        if (!Arrays.equals(magic, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'})) {
            throw new IOException(file + ": not a .npy file");
        }
        int major = bytes.get();
        bytes.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(bytes.getShort()) : bytes.getInt();
        byte[] headerBytes = new byte[headerLength];
        bytes.get(headerBytes);
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        String dtype = group(DESCR, header, file);
        if (!group(FORTRAN, header, file).equals("False")) {
            throw new IOException(file + ": Fortran order not supported");
        }
        int[] shape = Arrays.stream(group(SHAPE, header, file).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        ByteBuffer data = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        Npy npy = new Npy(dtype, shape, data);
        if (data.remaining() != npy.elementCount() * npy.elementSize()) {
            throw new IOException(file + ": data is " + data.remaining() + " bytes, header says "
                    + npy.elementCount() * npy.elementSize());
        }
        return npy;
    }

    private static String group(Pattern pattern, String header, Path file) throws IOException {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new IOException(file + ": header lacks " + pattern + ": " + header);
        }
        return matcher.group(1);
    }

    long elementCount() {
        long count = 1;
        for (int dim : shape) {
            count *= dim;
        }
        return count;
    }

    private int elementSize() {
        return switch (dtype) {
            case "|u1", "<u1" -> 1;
            case "<f4" -> 4;
            case "<i8" -> 8;
            default -> throw new IllegalStateException("unsupported dtype " + dtype);
        };
    }

    byte[] toUint8() {
        require("|u1", "<u1");
        byte[] out = new byte[(int) elementCount()];
        data.duplicate().get(out);
        return out;
    }

    float[] toFloat32() {
        require("<f4");
        float[] out = new float[(int) elementCount()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    long[] toInt64() {
        require("<i8");
        long[] out = new long[(int) elementCount()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    private void require(String... accepted) {
        if (!Arrays.asList(accepted).contains(dtype)) {
            throw new IllegalStateException("array has dtype " + dtype + ", expected " + Arrays.toString(accepted));
        }
    }
}
