package dev.aperture.benchmarks.clip;

import dev.aperture.core.tensor.DType;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.clip.synthetic.SyntheticClip;
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
 * A CLIP model with synthetic weights, loaded the way a user's model is: once per trial, the synthetic fixture's
 * generator ({@link SyntheticClip}) writes a model folder with {@code SafeTensors.write} to a temporary directory
 * (no download), and {@link ClipModel#load} memory-maps it onto the {@link #backend} ({@code cpu}: {@link #threads} threads).
 * The folder is deleted at the end of the trial.
 */
@State(Scope.Benchmark)
public class SyntheticClipState {
    /** {@code vit-b-32} (openai/clip-vit-base-patch32 dimensions) or {@code vit-b-16}. */
    @Param("vit-b-32")
    public String architecture;

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
    private ClipModel model;

    @Setup(Level.Trial)
    public void load() throws IOException {
        folder = Files.createTempDirectory("aperture-jmh-clip-");
        SyntheticClip.writeModelFolder(folder, architecture, DType.valueOf(dtype));
        model = ClipModel.load(folder, ModelOptions.defaults().withBackend(backend).withThreads(threads));
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

    public ClipModel model() {
        return model;
    }
}
