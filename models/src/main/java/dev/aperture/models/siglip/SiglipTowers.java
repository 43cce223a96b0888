package dev.aperture.models.siglip;

import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.source.ResolvedModel;
import dev.aperture.models.transformer.ActivationTap;
import dev.aperture.models.transformer.WeightLoader;

import java.nio.file.Files;

/**
 * SigLIP's two towers, loaded onto a {@link Backend}: padded token ids to text features, pixels to image features,
 * both in the shared space (unnormalized), plus the learned logit scale and bias. Matches transformers' (5.18)
 * {@code SiglipModel.get_text_features} (called without an attention mask, as SigLIP was trained) and
 * {@code get_image_features}.
 *
 * <p>Scores are {@code exp(logit_scale) · cos(text, image) + logit_bias}, and each label's probability is the
 * sigmoid of its own logit: SigLIP was trained with a sigmoid loss, one binary decision per image-text pair.
 *
 * <p>Immutable after loading and thread-safe. Closing releases the tables this object uploaded; the backend, which
 * the caller owns, keeps the prepared linear weights until it is closed itself.
 */
public final class SiglipTowers implements AutoCloseable {
    private static final String CONFIG_FILE = "config.json";

    private final SiglipConfig config;
    private final SiglipTextTower textTower;
    private final SiglipVisionTower visionTower;
    private final float logitScale;
    private final float logitBias;

    private SiglipTowers(SiglipConfig config, SiglipTextTower textTower, SiglipVisionTower visionTower,
                         float logitScale, float logitBias) {
        this.config = config;
        this.textTower = textTower;
        this.visionTower = visionTower;
        this.logitScale = logitScale;
        this.logitBias = logitBias;
    }

    /** Loads {@code config.json} from the model's folder and its weights from wherever they are. */
    public static SiglipTowers load(ResolvedModel model, CheckpointLimits limits, Backend backend) {
        if (!Files.isDirectory(model.folder())) {
            throw new InputException("Model folder " + model.folder() + " does not exist or is not a folder");
        }
        SiglipConfig config = SiglipConfig.load(model.folder().resolve(CONFIG_FILE));
        try (TensorSource weights = Checkpoints.open(model.weights(), limits)) {
            return load(weights, config, backend);
        }
    }

    /**
     * Loads the towers from any tensor source; every tensor's shape is checked against {@code config} first. The
     * source may be closed once this returns.
     *
     * @throws dev.aperture.core.ModelMismatchException naming the tensor(s) that are missing or mis-shaped
     */
    public static SiglipTowers load(TensorSource weights, SiglipConfig config, Backend backend) {
        WeightLoader loader = new WeightLoader(weights, backend, CONFIG_FILE);
        loader.requireAll(SiglipTensorNames.expected(config));
        return new SiglipTowers(config, SiglipTextTower.load(loader, config.text()),
                SiglipVisionTower.load(loader, config.vision()), (float) Math.exp(loader.scalar("logit_scale")),
                loader.scalar("logit_bias"));
    }

    public SiglipConfig config() {
        return config;
    }

    /**
     * Text features: the {@code head} projection of the final hidden state at the last position, not normalized.
     * {@code ids} is a rectangular batch padded as the tokenizer pads it (to {@code max_length}); no attention mask
     * is applied.
     */
    public float[][] encodeText(int[][] ids) {
        return textTower.encode(ids, ActivationTap.NONE);
    }

    /**
     * Image features: the attention-pooling head's output, not normalized.
     *
     * @param pixelValues per image, {@code num_channels × image_size × image_size} preprocessed values, channels first
     */
    public float[][] encodeImages(float[][] pixelValues) {
        return visionTower.encode(pixelValues, ActivationTap.NONE);
    }

    /** The text tower, reporting its intermediate results to {@code tap} (tests, debugging). */
    float[][] encodeText(int[][] ids, ActivationTap tap) {
        return textTower.encode(ids, tap);
    }

    /** The vision tower, reporting its intermediate results to {@code tap}. */
    float[][] encodeImages(float[][] pixelValues, ActivationTap tap) {
        return visionTower.encode(pixelValues, tap);
    }

    SiglipTextTower textTower() {
        return textTower;
    }

    SiglipVisionTower visionTower() {
        return visionTower;
    }

    /** {@code exp(logit_scale)}: multiplies cosine similarities into logits. */
    public float logitScale() {
        return logitScale;
    }

    /** {@code logit_bias}: added to every scaled cosine similarity. */
    public float logitBias() {
        return logitBias;
    }

    @Override
    public void close() {
        textTower.close();
        visionTower.close();
    }
}
