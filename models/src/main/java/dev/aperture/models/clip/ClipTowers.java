package dev.aperture.models.clip;

import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.InputException;
import dev.aperture.core.backend.Backend;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.models.source.ResolvedModel;
import dev.aperture.models.transformer.WeightLoader;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CLIP's two towers, loaded onto a {@link Backend}: token ids to text features, pixels to image features, both in
 * the shared embedding space (unnormalized), plus the learned logit scale. Matches Hugging Face transformers'
 * {@code CLIPModel} (v4.39) {@code get_text_features} / {@code get_image_features}.
 *
 * <p>Immutable after loading and thread-safe: any number of threads may encode at once (each call allocates its
 * own activations, once for its batch shape, and reuses them in every layer). Closing releases the tables this
 * object uploaded; the backend, which the caller owns, keeps the prepared linear weights until it is closed itself.
 */
public final class ClipTowers implements AutoCloseable {
    /** The model config of a Hugging Face checkpoint. */
    public static final String CONFIG_FILE = "config.json";

    private final ClipConfig config;
    private final TextTower textTower;
    private final VisionTower visionTower;
    private final float logitScale;

    private ClipTowers(ClipConfig config, TextTower textTower, VisionTower visionTower, float logitScale) {
        this.config = config;
        this.textTower = textTower;
        this.visionTower = visionTower;
        this.logitScale = logitScale;
    }

    /**
     * Loads {@code config.json} and the weights from a Hugging Face model folder: its preferred weights file
     * ({@link Checkpoints#WEIGHT_FILES}), with the default checkpoint limits.
     */
    public static ClipTowers load(Path modelDir, Backend backend) {
        return load(ResolvedModel.ofFolder(modelDir), CheckpointLimits.DEFAULT, backend);
    }

    /** Loads {@code config.json} from the model's folder and its weights from wherever they are. */
    public static ClipTowers load(ResolvedModel model, CheckpointLimits limits, Backend backend) {
        if (!Files.isDirectory(model.folder())) {
            throw new InputException("Model folder " + model.folder() + " does not exist or is not a folder");
        }
        ClipConfig config = ClipConfig.load(model.folder().resolve(CONFIG_FILE));
        try (TensorSource weights = Checkpoints.open(model.weights(), limits)) {
            return load(weights, config, backend);
        }
    }

    /**
     * Loads the towers from any tensor source (a file, shards, tensors built in memory). Every tensor's shape is
     * checked against {@code config} first; the source may be closed once this returns.
     *
     * @throws dev.aperture.core.ModelMismatchException naming the tensor(s) that are missing or mis-shaped
     */
    public static ClipTowers load(TensorSource weights, ClipConfig config, Backend backend) {
        WeightLoader loader = new WeightLoader(weights, backend, CONFIG_FILE);
        loader.requireAll(ClipTensorNames.expected(config));
        return new ClipTowers(config, TextTower.load(loader, config), VisionTower.load(loader, config),
                (float) Math.exp(loader.scalar("logit_scale")));
    }

    public ClipConfig config() {
        return config;
    }

    /**
     * Text features: {@code text_projection} of the final hidden state at each text's end-of-text token, not
     * normalized. {@code ids} is a rectangular batch (pad with the tokenizer's pad id); {@code attentionMask}
     * (same shape, ones then zeros) marks the real tokens, or is {@code null} when nothing is padded.
     *
     * @return one {@code projection_dim} row per text
     */
    public float[][] encodeText(int[][] ids, int[][] attentionMask) {
        return textTower.encode(ids, attentionMask);
    }

    /**
     * Image features: {@code visual_projection} of the post-layer-normed class token, not normalized.
     *
     * @param pixelValues per image, {@code num_channels × image_size × image_size} preprocessed values, channels first
     * @return one {@code projection_dim} row per image
     */
    public float[][] encodeImages(float[][] pixelValues) {
        return visionTower.encode(pixelValues);
    }

    /** {@code exp(logit_scale)}: multiplies cosine similarities into logits. */
    public float logitScale() {
        return logitScale;
    }

    /**
     * The text tower with every intermediate result. With {@code allPositions} every position is computed,
     * padding included; otherwise only up to the last pooled position (which gives the same pooled outputs).
     */
    public TextOutputs forwardText(int[][] ids, int[][] attentionMask, boolean allPositions) {
        return textTower.forwardDetailed(ids, attentionMask, allPositions);
    }

    /** The vision tower with every intermediate result. */
    public VisionOutputs forwardVision(float[][] pixelValues) {
        return visionTower.forwardDetailed(pixelValues);
    }

    @Override
    public void close() {
        textTower.close();
        visionTower.close();
    }
}
