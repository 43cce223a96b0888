import dev.aperture.core.tensor.DType;
import dev.aperture.models.clip.synthetic.SyntheticClip;

import java.nio.file.Path;

/**
 * Writes the synthetic ViT-B/32 CLIP folder (random F32 weights, the real architecture's shapes) that
 * benchmarks/serve/run.sh serves, since this machine cannot download the real checkpoint.
 * Run with the CLI jar on the class path: {@code java -cp aperture-cli.jar WriteSyntheticVit.java FOLDER}.
 */
public class WriteSyntheticVit {
    public static void main(String[] args) {
        SyntheticClip.writeModelFolder(Path.of(args[0]), SyntheticClip.VIT_B_32, DType.F32);
    }
}
