package dev.aperture.benchmarks.siglip;

import dev.aperture.benchmarks.SyntheticModelState;
import dev.aperture.core.tensor.DType;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.siglip.SiglipModel;
import dev.aperture.models.siglip.synthetic.SyntheticSiglip;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;

/**
 * A SigLIP model with synthetic weights ({@link SyntheticSiglip}), written to a temporary folder and loaded with
 * {@link SiglipModel#load} once per trial ({@link SyntheticModelState}).
 */
@State(Scope.Benchmark)
public class SyntheticSiglipState extends SyntheticModelState<SiglipModel> {
    /**
     * {@code siglip-base-16-224} (google/siglip-base-patch16-224 dimensions). Not named {@code architecture}, so that
     * {@code -p architecture=vit-b-32,vit-b-16} picks CLIP's architectures in a run that also measures SigLIP.
     */
    @Param(SyntheticSiglip.SIGLIP_BASE_16_224)
    public String siglipArchitecture;

    @Override
    protected void writeModelFolder(Path folder, DType dtype) {
        SyntheticSiglip.writeModelFolder(folder, siglipArchitecture, dtype);
    }

    @Override
    protected SiglipModel load(Path folder, ModelOptions options) {
        return SiglipModel.load(folder, options);
    }
}
