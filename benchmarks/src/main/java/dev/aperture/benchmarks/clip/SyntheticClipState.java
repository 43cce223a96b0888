package dev.aperture.benchmarks.clip;

import dev.aperture.benchmarks.SyntheticModelState;
import dev.aperture.core.tensor.DType;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.clip.synthetic.SyntheticClip;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;

/**
 * A CLIP model with synthetic weights ({@link SyntheticClip}), written to a temporary folder and loaded with
 * {@link ClipModel#load} once per trial ({@link SyntheticModelState}).
 */
@State(Scope.Benchmark)
public class SyntheticClipState extends SyntheticModelState<ClipModel> {
    /** {@code vit-b-32} (openai/clip-vit-base-patch32 dimensions) or {@code vit-b-16}. */
    @Param("vit-b-32")
    public String architecture;

    @Override
    protected void writeModelFolder(Path folder, DType dtype) {
        SyntheticClip.writeModelFolder(folder, architecture, dtype);
    }

    @Override
    protected ClipModel load(Path folder, ModelOptions options) {
        return ClipModel.load(folder, options);
    }
}
