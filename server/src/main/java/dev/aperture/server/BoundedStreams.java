package dev.aperture.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/** Reading a stream whose length a client or another server controls, without ever buffering past a limit. */
final class BoundedStreams {
    private BoundedStreams() {
    }

    /**
     * All of {@code in}, as long as it is at most {@code maxBytes}; past that, {@code overLimit} (given the bytes read
     * so far) is thrown before more is read.
     */
    static byte[] readAtMost(InputStream in, long maxBytes, LongFunction<ApiException> overLimit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
            total += n;
            if (total > maxBytes) {
                throw overLimit.apply(total);
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}
