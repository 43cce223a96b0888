package dev.aperture.cli;

import dev.aperture.core.InputException;
import dev.aperture.core.tensor.DType;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.clip.synthetic.SyntheticClip;
import dev.aperture.models.siglip.synthetic.SyntheticSiglip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic models {@code bench --random} builds, by the names the option takes: CLIP's architectures under
 * {@link SyntheticClip}'s names, SigLIP's under {@link SyntheticSiglip}'s, its tiny one as {@code tiny-siglip} (CLIP's
 * is {@code tiny}).
 */
final class RandomModels {
    static final String TINY_SIGLIP = "tiny-siglip";

    private RandomModels() {
    }

    /** Every name {@code --random} takes. */
    static List<String> names() {
        List<String> names = new ArrayList<>(SyntheticClip.architectures());
        names.add(SyntheticSiglip.SIGLIP_BASE_16_224);
        names.add(TINY_SIGLIP);
        return names;
    }

    /**
     * The named model built in memory.
     *
     * @throws InputException for an unknown name (the message lists the known ones)
     */
    static ImageTextModel inMemory(String name, ModelOptions options) {
        String siglip = siglipArchitecture(name);
        return siglip != null ? SyntheticSiglip.model(siglip, options) : SyntheticClip.model(clipArchitecture(name),
                options);
    }

    /**
     * Writes the named model as a complete model folder, weights stored as {@code dtype}.
     *
     * @throws InputException for an unknown name
     */
    static void writeFolder(Path folder, String name, DType dtype) {
        String siglip = siglipArchitecture(name);
        if (siglip != null) {
            SyntheticSiglip.writeModelFolder(folder, siglip, dtype);
        } else {
            SyntheticClip.writeModelFolder(folder, clipArchitecture(name), dtype);
        }
    }

    /** SyntheticSiglip's name for {@code name}, or null when it names no SigLIP. */
    private static String siglipArchitecture(String name) {
        if (TINY_SIGLIP.equals(name)) {
            return SyntheticSiglip.TINY;
        }
        return SyntheticSiglip.SIGLIP_BASE_16_224.equals(name) ? name : null;
    }

    private static String clipArchitecture(String name) {
        if (!SyntheticClip.architectures().contains(name)) {
            throw new InputException("Unknown synthetic architecture '" + name + "'; known: "
                    + String.join(", ", names()));
        }
        return name;
    }
}
