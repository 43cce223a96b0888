package dev.aperture.cli;

import dev.aperture.core.InputException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a 2-D NumPy {@code .npy} file (format 1.0, little-endian float32 {@code <f4}, C order) one row at a time,
 * so that millions of embeddings never sit in memory together.
 *
 * <p>The row count is known only at the end, so the header is written first with room to spare (a fixed 128 bytes,
 * the 64-byte alignment numpy asks for) and rewritten with the real shape by {@link #close()}.
 */
final class NpyFloatRowsWriter implements AutoCloseable {
    /** Magic (6), version (2), header length (2) and the dict padded with spaces to a multiple of 64 bytes. */
    private static final int HEADER_BYTES = 128;

    private final Path file;
    private final OutputStream out;
    private int columns = -1;
    private long rows;

    NpyFloatRowsWriter(Path file) {
        this.file = file;
        try {
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            out.write(header(0, 0));
        } catch (IOException e) {
            throw new InputException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    /** Appends one row; every row must have the first row's length. */
    void write(float[] row) {
        if (columns < 0) {
            columns = row.length;
        } else if (row.length != columns) {
            throw new IllegalArgumentException("row " + rows + " has " + row.length + " values, expected " + columns);
        }
        ByteBuffer bytes = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(row);
        try {
            out.write(bytes.array());
        } catch (IOException e) {
            throw new InputException(file + ": cannot write: " + e.getMessage(), e);
        }
        rows++;
    }

    /** Flushes the rows and rewrites the header with the final shape. */
    @Override
    public void close() {
        try {
            out.close();
            try (RandomAccessFile patch = new RandomAccessFile(file.toFile(), "rw")) {
                patch.seek(0);
                patch.write(header(rows, Math.max(columns, 0)));
            }
        } catch (IOException e) {
            throw new InputException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static byte[] header(long rows, int columns) {
        String dict = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
                rows, columns);
        int dictBytes = HEADER_BYTES - 10;
        StringBuilder padded = new StringBuilder(dict);
        while (padded.length() < dictBytes - 1) {
            padded.append(' ');
        }
        padded.append('\n');
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        header.putShort((short) dictBytes);
        header.put(padded.toString().getBytes(StandardCharsets.US_ASCII));
        return header.array();
    }
}
