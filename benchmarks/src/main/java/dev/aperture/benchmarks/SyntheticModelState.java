package dev.aperture.benchmarks;

import dev.aperture.core.tensor.DType;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An image-text model with synthetic weights, loaded the way a user's model is: once per trial, the family's
 * synthetic generator writes a model folder (weights stored as {@link #dtype}) to a temporary directory (no
 * download), and the family's {@code load} memory-maps it onto the {@link #backend} ({@code cpu}: {@link #threads}
 * threads). The folder is deleted at the end of the trial. Each family's state names its architectures.
 *
 * <p>Annotated {@code @State} only because JMH wants its parameters declared in a state class; benchmarks take the
 * families' states.
 */
@State(Scope.Benchmark)
public abstract class SyntheticModelState<M extends ImageTextModel> {
    /** How the weights are stored in the file: F32, F16 or BF16 (computed in float32 either way). */
    @Param("F32")
    public String dtype;

    /** CPU backend threads. */
    @Param({"1", "2"})
    public int threads;

    /** {@code cpu}, or {@code opencl} (the device from {@code aperture.opencl.device}, else the first GPU). */
    @Param("cpu")
    public String backend;

    private Path folder;
    private M model;

    /** Writes the state's architecture as a complete model folder. */
    protected abstract void writeModelFolder(Path folder, DType dtype);

    /** Loads the folder {@link #writeModelFolder} wrote. */
    protected abstract M load(Path folder, ModelOptions options);

    @Setup(Level.Trial)
    public void writeAndLoad() throws IOException {
        folder = Files.createTempDirectory("aperture-jmh-model-");
        writeModelFolder(folder, DType.valueOf(dtype));
        model = load(folder, ModelOptions.defaults().withBackend(backend).withThreads(threads));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (model != null) {
            model.close();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    public M model() {
        return model;
    }
}
