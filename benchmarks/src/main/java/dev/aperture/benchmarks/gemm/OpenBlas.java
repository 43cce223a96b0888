package dev.aperture.benchmarks.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * OpenBLAS's {@code cblas_sgemm} through the FFM API, the baseline the Vector API GEMM is measured against.
 * Found as {@code libopenblas.so.0} on the library path (Debian: {@code apt-get install libopenblas0-pthread}).
 */
final class OpenBlas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private final MethodHandle sgemm;
    private final MethodHandle setNumThreads;
    private final MethodHandle getConfig;
    private final MethodHandle getCoreName;

    private OpenBlas(SymbolLookup library) {
        Linker linker = Linker.nativeLinker();
        sgemm = linker.downcallHandle(library.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
                        ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT));
        setNumThreads = linker.downcallHandle(library.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT));
        getConfig = linker.downcallHandle(library.find("openblas_get_config").orElseThrow(),
                FunctionDescriptor.of(ADDRESS));
        getCoreName = linker.downcallHandle(library.find("openblas_get_corename").orElseThrow(),
                FunctionDescriptor.of(ADDRESS));
    }

    /** The library, or empty when libopenblas.so.0 is not installed. */
    static Optional<OpenBlas> load() {
        try {
            return Optional.of(new OpenBlas(SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global())));
        } catch (IllegalArgumentException notFound) {
            return Optional.empty();
        }
    }

    void setThreads(int threads) {
        try {
            setNumThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** OpenBLAS's build description, such as "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64". */
    String config() {
        return string(getConfig);
    }

    /**
     * The kernel OpenBLAS runs, such as "SkylakeX" or "Haswell": a DYNAMIC_ARCH build picks it for the CPU when the
     * library loads, unless the environment variable OPENBLAS_CORETYPE names one.
     */
    String coreName() {
        return string(getCoreName);
    }

    private static String string(MethodHandle getter) {
        try {
            MemorySegment text = (MemorySegment) getter.invokeExact();
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code y[m, n] = x[m, k] · wᵀ} for row-major x, w {@code [n, k]} and y. */
    void multiplyTransposed(MemorySegment x, int m, MemorySegment w, int n, int k, MemorySegment y) {
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1f, x, k, w, k, 0f, y, n);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
