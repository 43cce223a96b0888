/**
 * The CPU backend ({@code cpu}) on the JDK Vector API, a plug-in: registered with core's {@code ServiceLoader}, so
 * nothing depends on it at compile time and it exports nothing to users.
 *
 * <p>Only the benchmarks reach inside: they measure {@code CpuBackend} and the GEMM package
 * ({@code dev.aperture.backend.cpu.gemm}) directly, hence the qualified exports.
 */
@SuppressWarnings("module")   // the benchmarks module, target of the qualified exports, is built after this one
module dev.aperture.backend.cpu {
    requires dev.aperture.core;
    requires jdk.incubator.vector;

    exports dev.aperture.backend.cpu to dev.aperture.benchmarks;
    exports dev.aperture.backend.cpu.gemm to dev.aperture.benchmarks;

    // The same registration as META-INF/services/dev.aperture.core.backend.BackendProvider, which the class path
    // (the shaded cli jar, the tests) still reads.
    provides dev.aperture.core.backend.BackendProvider with dev.aperture.backend.cpu.CpuBackendProvider;
}
