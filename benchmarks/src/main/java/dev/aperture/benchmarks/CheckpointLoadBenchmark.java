package dev.aperture.benchmarks;

import dev.aperture.backend.cpu.CpuBackend;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.clip.ClipTowers;
import dev.aperture.models.clip.synthetic.SyntheticClip;
import dev.aperture.testkit.TorchZipWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Load time of ViT-B/32 (151M F32 parameters, 605 MB) from {@code model.safetensors} against the same tensors in a
 * {@code pytorch_model.bin} written the way torch.save writes it (zip, storages STORED and 64-byte aligned), in one
 * run. Setup writes both files once per trial (the safetensors one with the synthetic fixture's generator, the
 * .bin from it with the test-jar's {@code TorchZipWriter}); both then sit in the page cache, so this times the
 * reader, not the disk.
 * <ul>
 *   <li>{@code openAndReadEveryTensor}: open the checkpoint and widen every tensor to a float array, as a loader
 *       must (header or pickle parsing, validation, mapping, touching every page).</li>
 *   <li>{@code loadClipTowers}: the whole model load onto the CPU backend (weights packed into GEMM panels).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx4g"})
public class CheckpointLoadBenchmark {
    private static final String SAFETENSORS = "safetensors";

    /** {@code safetensors}: model.safetensors; {@code pytorch-zip}: pytorch_model.bin. */
    @Param({SAFETENSORS, "pytorch-zip"})
    public String format;

    private Path root;
    private Path folder;

    @Setup(Level.Trial)
    public void writeCheckpoints() throws IOException {
        root = Files.createTempDirectory("aperture-jmh-load-");
        Path safetensors = SyntheticClip.writeModelFolder(root.resolve(SAFETENSORS), SyntheticClip.VIT_B_32,
                DType.F32);
        if (format.equals(SAFETENSORS)) {
            folder = safetensors;
        } else {
            folder = Files.createDirectories(root.resolve(format));
            Files.copy(safetensors.resolve("config.json"), folder.resolve("config.json"));
            try (TensorSource weights = Checkpoints.open(safetensors)) {
                TorchZipWriter.write(folder.resolve("pytorch_model.bin"), weights);
            }
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Benchmark
    public long openAndReadEveryTensor() {
        long elements = 0;
        try (TensorSource weights = Checkpoints.open(folder)) {
            for (String name : weights.names()) {
                if (weights.tensor(name).dtype().isConvertibleToFloat()) {
                    elements += weights.tensor(name).toFloatArray().length;
                }
            }
        }
        return elements;
    }

    /** A backend per load: it owns the packed weights until closed, so reusing one would keep every load's. */
    @Benchmark
    public float loadClipTowers() {
        try (CpuBackend backend = new CpuBackend(2); ClipTowers towers = ClipTowers.load(folder, backend)) {
            return towers.logitScale();
        }
    }
}
