package dev.aperture.models.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of a Hugging Face {@code CLIPImageProcessor} or {@code SiglipImageProcessor}, as read from
 * {@code preprocessor_config.json}; {@code image_processor_type} says which (CLIP's when absent).
 *
 * <p>Field names and defaults follow transformers: a missing field takes the value the processor's
 * {@code __init__} gives it. CLIP's (4.39): shortest edge 224, crop 224 x 224, bicubic, rescale 1/255, the OpenAI CLIP
 * mean/std, every step enabled. SigLIP's (5.18): resize to exactly 224 x 224 (aspect not kept), bicubic, rescale
 * 1/255, mean = std = 0.5, and no center crop at all (the processor has none, so {@code do_center_crop} is ignored). {@code size} is either {@code {"shortest_edge": S}}, {@code {"height": H,
 * "width": W}} or a plain int (meaning a shortest edge, as HF's {@code get_size_dict(size, default_to_square=False)}
 * reads it); {@code crop_size} is {@code {"height": H, "width": W}} or a plain int (a square).
 *
 * @param doResize       resize before cropping
 * @param shortestEdge   resize so the shorter side is this long (HF {@code size.shortest_edge}); 0 when the resize
 *                       is to a fixed {@code resizeHeight x resizeWidth} instead
 * @param resizeHeight   fixed resize height (HF {@code size.height}); 0 in shortest-edge mode
 * @param resizeWidth    fixed resize width (HF {@code size.width}); 0 in shortest-edge mode
 * @param resample       PIL resampling filter id; only 3 (bicubic) is supported
 * @param doCenterCrop   center-crop to {@code cropHeight x cropWidth} after resizing
 * @param cropHeight     crop height
 * @param cropWidth      crop width
 * @param doRescale      multiply the 0..255 values by {@code rescaleFactor}
 * @param rescaleFactor  usually 1/255
 * @param doNormalize    subtract {@code imageMean} and divide by {@code imageStd}, per channel
 * @param imageMean      three per-channel means (R, G, B)
 * @param imageStd       three per-channel standard deviations (R, G, B)
 * @param doConvertRgb   HF's convert-to-RGB switch; Aperture always converts (see {@link ImagePreprocessor})
 */
public record ImageProcessorConfig(
        boolean doResize,
        int shortestEdge,
        int resizeHeight,
        int resizeWidth,
        int resample,
        boolean doCenterCrop,
        int cropHeight,
        int cropWidth,
        boolean doRescale,
        double rescaleFactor,
        boolean doNormalize,
        List<Double> imageMean,
        List<Double> imageStd,
        boolean doConvertRgb) {

    /** The file name HF uses for these settings inside a model directory. */
    public static final String FILE_NAME = "preprocessor_config.json";

    /** PIL's {@code Image.BICUBIC}, the only resampling filter implemented. */
    public static final int RESAMPLE_BICUBIC = 3;

    /** OpenAI CLIP's per-channel mean, HF's {@code OPENAI_CLIP_MEAN}. */
    public static final List<Double> OPENAI_CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);

    /** OpenAI CLIP's per-channel standard deviation, HF's {@code OPENAI_CLIP_STD}. */
    public static final List<Double> OPENAI_CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

    /** Copies the lists so the record stays immutable. */
    public ImageProcessorConfig {
        imageMean = List.copyOf(imageMean);
        imageStd = List.copyOf(imageStd);
    }

    /** {@code image_processor_type} of SigLIP's processor; the {@code Fast} variant reads the same settings. */
    public static final String SIGLIP_PROCESSOR = "SiglipImageProcessor";

    /** SigLIP's per-channel mean and standard deviation, HF's {@code IMAGENET_STANDARD_MEAN}/{@code _STD}. */
    public static final List<Double> IMAGENET_STANDARD = List.of(0.5, 0.5, 0.5);

    /** The settings {@code CLIPImageProcessor()} has with no arguments (224 px, bicubic, OpenAI mean/std). */
    public static ImageProcessorConfig defaults() {
        return new ImageProcessorConfig(true, 224, 0, 0, RESAMPLE_BICUBIC, true, 224, 224, true, 1.0 / 255.0, true,
                OPENAI_CLIP_MEAN, OPENAI_CLIP_STD, true);
    }

    /** The settings {@code SiglipImageProcessor()} has with no arguments (224 x 224, bicubic, mean = std = 0.5). */
    public static ImageProcessorConfig siglipDefaults() {
        return new ImageProcessorConfig(true, 0, 224, 224, RESAMPLE_BICUBIC, false, 224, 224, true, 1.0 / 255.0, true,
                IMAGENET_STANDARD, IMAGENET_STANDARD, true);
    }

    /**
     * Reads {@code preprocessor_config.json}.
     *
     * @throws InputException  the file is missing or unreadable
     * @throws FormatException the JSON is malformed or a field has an unsupported value (the message names the
     *                         file and the field)
     */
    public static ImageProcessorConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found", e);
        } catch (IOException e) {
            // Jackson's parse errors are IOExceptions too; a read failure and bad JSON both mean "cannot use it".
            throw new FormatException(file + ": cannot read JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new FormatException(file + ": expected a JSON object");
        }
        return new Reader(file, root).read();
    }

    /** Parses one JSON object, naming the file and field in every error. */
    private record Reader(Path file, JsonNode root) {

        ImageProcessorConfig read() {
            boolean siglip = isSiglip(processorType());
            ImageProcessorConfig defaults = siglip ? siglipDefaults() : defaults();
            int shortestEdge = defaults.shortestEdge();
            int resizeHeight = defaults.resizeHeight();
            int resizeWidth = defaults.resizeWidth();
            JsonNode size = field("size");
            if (size != null) {
                if (size.isIntegralNumber() && siglip) {
                    resizeHeight = resizeWidth = positive(size, "size"); // get_size_dict(default_to_square=True)
                } else if (size.isIntegralNumber()) {
                    shortestEdge = positive(size, "size");
                } else if (size.isObject() && size.has("shortest_edge")) {
                    shortestEdge = positive(size.get("shortest_edge"), "size.shortest_edge");
                } else if (size.isObject() && size.has("height") && size.has("width")) {
                    shortestEdge = 0;
                    resizeHeight = positive(size.get("height"), "size.height");
                    resizeWidth = positive(size.get("width"), "size.width");
                } else {
                    throw error("size", "expected an int, {\"shortest_edge\": S} or {\"height\": H, \"width\": W}");
                }
            }
            int cropHeight = defaults.cropHeight();
            int cropWidth = defaults.cropWidth();
            JsonNode crop = field("crop_size");
            if (crop != null) {
                if (crop.isIntegralNumber()) {
                    cropHeight = cropWidth = positive(crop, "crop_size");
                } else if (crop.isObject() && crop.has("height") && crop.has("width")) {
                    cropHeight = positive(crop.get("height"), "crop_size.height");
                    cropWidth = positive(crop.get("width"), "crop_size.width");
                } else {
                    throw error("crop_size", "expected an int or {\"height\": H, \"width\": W}");
                }
            }
            int resample = RESAMPLE_BICUBIC;
            JsonNode resampleNode = field("resample");
            if (resampleNode != null) {
                if (!resampleNode.isIntegralNumber() || resampleNode.asInt() != RESAMPLE_BICUBIC) {
                    throw error("resample", "only 3 (PIL bicubic) is supported, got " + resampleNode);
                }
            }
            double rescaleFactor = defaults.rescaleFactor();
            JsonNode rescaleNode = field("rescale_factor");
            if (rescaleNode != null) {
                if (!rescaleNode.isNumber() || !Double.isFinite(rescaleNode.asDouble())) {
                    throw error("rescale_factor", "expected a finite number, got " + rescaleNode);
                }
                rescaleFactor = rescaleNode.asDouble();
            }
            List<Double> mean = channelTriple("image_mean", defaults.imageMean(), false);
            List<Double> std = channelTriple("image_std", defaults.imageStd(), true);
            return new ImageProcessorConfig(
                    bool("do_resize", true), shortestEdge, resizeHeight, resizeWidth, resample,
                    !siglip && bool("do_center_crop", true), cropHeight, cropWidth,
                    bool("do_rescale", true), rescaleFactor,
                    bool("do_normalize", true), mean, std,
                    bool("do_convert_rgb", true));
        }

        /** {@code image_processor_type}, CLIP's when absent; a processor we do not reproduce is refused here. */
        private String processorType() {
            JsonNode node = field("image_processor_type");
            if (node == null) {
                return "CLIPImageProcessor";
            }
            String type = node.asText();
            if (type.startsWith("Siglip2ImageProcessor")) {
                throw error("image_processor_type", type + " (SigLIP 2's variable-resolution NaFlex patches) is not"
                        + " supported; fixed-resolution SigLIP 2 checkpoints use SiglipImageProcessor");
            }
            return type;
        }

        private static boolean isSiglip(String type) {
            return type.equals(SIGLIP_PROCESSOR) || type.equals(SIGLIP_PROCESSOR + "Fast");
        }

        /** A field's value, or null when absent or JSON null (HF then uses the default). */
        private JsonNode field(String name) {
            JsonNode node = root.get(name);
            return node == null || node.isNull() ? null : node;
        }

        private boolean bool(String name, boolean defaultValue) {
            JsonNode node = field(name);
            if (node == null) {
                return defaultValue;
            }
            if (!node.isBoolean()) {
                throw error(name, "expected true or false, got " + node);
            }
            return node.booleanValue();
        }

        private int positive(JsonNode node, String name) {
            if (node == null || !node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
                throw error(name, "expected a positive int, got " + node);
            }
            return node.intValue();
        }

        /** A mean or std: a single number applies to all three channels, as HF broadcasts it. */
        private List<Double> channelTriple(String name, List<Double> defaultValue, boolean mustBeNonZero) {
            JsonNode node = field(name);
            if (node == null) {
                return defaultValue;
            }
            List<Double> values = new ArrayList<>();
            if (node.isNumber()) {
                values.add(node.asDouble());
                values.add(node.asDouble());
                values.add(node.asDouble());
            } else if (node.isArray() && node.size() == 3) {
                for (JsonNode value : node) {
                    if (!value.isNumber()) {
                        throw error(name, "expected numbers, got " + value);
                    }
                    values.add(value.asDouble());
                }
            } else {
                throw error(name, "expected a number or a list of 3 numbers (R, G, B), got " + node);
            }
            for (double value : values) {
                if (!Double.isFinite(value) || (mustBeNonZero && value == 0.0)) {
                    throw error(name, "expected finite" + (mustBeNonZero ? " non-zero" : "") + " values, got " + node);
                }
            }
            return values;
        }

        private FormatException error(String fieldName, String problem) {
            return new FormatException(file + ": field '" + fieldName + "': " + problem);
        }
    }
}
