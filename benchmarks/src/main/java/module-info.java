/**
 * Aperture's JMH benchmarks. Run from the shaded {@code benchmarks.jar} on the class path; the descriptor states what
 * they depend on, including the CPU backend's internals that backend-cpu exports to this module alone.
 *
 * <p>Open because JMH works by reflection: its runner instantiates the generated {@code *.jmh_generated} classes
 * (compiled into this module by JMH's annotation processor) by name.
 *
 * <p>Core's test-jar, which is no module, is read from the class path (the compiler's
 * {@code --add-reads dev.aperture.benchmarks=ALL-UNNAMED} in benchmarks/pom.xml) for
 * {@code dev.aperture.testkit.TorchZipWriter} (CheckpointLoadBenchmark writes a {@code pytorch_model.bin} with it).
 */
@SuppressWarnings("requires-automatic")   // jmh.core and onnxruntime, below: these benchmarks are never published
open module dev.aperture.benchmarks {
    requires dev.aperture.core;
    requires dev.aperture.models;
    requires dev.aperture.backend.cpu;   // CpuBackend and dev.aperture.backend.cpu.gemm, measured directly
    requires dev.aperture.search;        // dev.aperture.search.lucene: the image index's Lucene settings
    requires org.apache.lucene.core;     // VectorSearchBenchmark's index
    requires jdk.incubator.vector;       // SimpleVectorGemmBenchmark, a hand-written Vector API baseline
    requires jmh.core;                   // automatic module (jmh-core has no descriptor)
    requires com.microsoft.onnxruntime;  // the peer engine; automatic module (its manifest's Automatic-Module-Name)
    requires java.desktop;               // the zero-shot benchmark's BufferedImage
}
