package dev.aperture.models.image;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.models.ImageInput;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CLIP and SigLIP image preprocessing, reproducing Hugging Face's {@code CLIPImageProcessor} (transformers 4.39) and
 * {@code SiglipImageProcessor} (5.18) running on Pillow: decode, convert to RGB, resize (CLIP: shortest edge; SigLIP:
 * to exactly height x width, aspect not kept; both Pillow bicubic), center crop (CLIP only), rescale, normalize,
 * channels-first float32.
 *
 * <p>For PNG (and other losslessly decoded) inputs the output equals HF's {@code pixel_values} to float32
 * rounding (the resize is byte-exact, the normalization bit-exact). JPEG decoders are not bit-exact across
 * libraries, so JPEG inputs can differ slightly (see the tests for the measured tolerance).
 *
 * <p>Every image is converted to RGB, as with HF's default {@code do_convert_rgb=true}; with
 * {@code do_convert_rgb=false} HF would pass gray or RGBA arrays on and fail on the 3-channel mean, so there is
 * nothing else useful to do. The output size must not depend on the image, so the config must either center-crop
 * or resize to a fixed height and width.
 *
 * <p>The EXIF orientation of a JPEG, PNG or WebP is applied as transformers' {@code load_image} applies it (Pillow's
 * {@code exif_transpose}), unless {@link ImageLimits#applyExifOrientation()} is off.
 *
 * <p>CMYK JPEGs convert with Pillow's formula (see {@link PillowRgbConversion}).
 *
 * <p>Known differences from the Python pipeline, all on inputs the fixtures do not contain: YCCK JPEGs take the
 * same CMYK path but are untested (no fixture); lossy WebP is decoded with plain chroma upsampling
 * (TwelveMonkeys' decoder) where Pillow's libwebp interpolates, so colour edges differ (lossless WebP is exact);
 * the EXIF orientation of TIFF files is not read; a GIF whose first frame is smaller than its logical
 * screen yields just the frame (Pillow pastes it onto the screen); BMP 5-6-5 and other exotic layouts go through
 * Java's colour conversion; HF guesses the channel axis from the array shape and mistakes images 1 or 3 pixels
 * high for channels-first, which we do not reproduce.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {

    private final ImageProcessorConfig config;
    private final ImageDecoder decoder;
    private final CenterCropNormalize cropNormalize;
    private final int outputHeight;
    private final int outputWidth;

    /**
     * Creates a preprocessor.
     *
     * @throws FormatException        the config's output size would depend on the input image (no center crop and
     *                                 no fixed-size resize), which a fixed {@code [3, H, W]} output cannot represent
     * @throws ResourceLimitException  the config's output size is over {@link ImageLimits#maxPixels()}
     */
    public ImagePreprocessor(ImageProcessorConfig config, ImageLimits limits) {
        this.config = config;
        this.decoder = new ImageDecoder(limits);
        this.cropNormalize = new CenterCropNormalize(config);
        if (config.doCenterCrop()) {
            outputHeight = config.cropHeight();
            outputWidth = config.cropWidth();
        } else if (config.doResize() && config.shortestEdge() == 0) {
            outputHeight = config.resizeHeight();
            outputWidth = config.resizeWidth();
        } else {
            throw new FormatException("image processor config: with do_center_crop=false the output size depends"
                    + " on each image unless size is {\"height\", \"width\"}; not supported");
        }
        // Found by fuzzing: a crop of 2147483647 x 224 overflowed the output array's size.
        decoder.checkPixelCount("image processor config output size", outputWidth, outputHeight);
    }

    /**
     * Loads {@code preprocessor_config.json} from a model directory, with {@link ImageLimits#defaults()}.
     *
     * @throws InputException  the file is missing
     * @throws FormatException the file is malformed or asks for something unsupported
     */
    public static ImagePreprocessor load(Path modelDir) {
        return load(modelDir, ImageLimits.defaults());
    }

    /**
     * Loads {@code preprocessor_config.json} from a model directory, with these limits.
     *
     * @throws InputException  the file is missing
     * @throws FormatException the file is malformed or asks for something unsupported
     */
    public static ImagePreprocessor load(Path modelDir, ImageLimits limits) {
        Path file = modelDir.resolve(ImageProcessorConfig.FILE_NAME);
        return new ImagePreprocessor(ImageProcessorConfig.load(file), limits);
    }

    /** The settings in use. */
    public ImageProcessorConfig config() {
        return config;
    }

    /** Height of every output image. */
    public int outputHeight() {
        return outputHeight;
    }

    /** Width of every output image. */
    public int outputWidth() {
        return outputWidth;
    }

    /**
     * Preprocesses an image file (JPEG, PNG, WebP, BMP, GIF, TIFF).
     *
     * @return channels-first floats, {@code [3 * outputHeight() * outputWidth()]}
     * @throws InputException         the file is missing or unreadable
     * @throws FormatException        the file is not a decodable image
     * @throws ResourceLimitException the image has more pixels, or would take more memory, than the limits allow
     */
    public float[] preprocess(Path image) {
        return process(decoder.decode(image), image.toString());
    }

    /**
     * Preprocesses encoded image bytes.
     *
     * @param nameForErrors names the image in exception messages
     * @return channels-first floats, {@code [3 * outputHeight() * outputWidth()]}
     * @throws FormatException        the bytes are not a decodable image
     * @throws ResourceLimitException the image has more pixels than the limits allow
     */
    public float[] preprocess(byte[] encoded, String nameForErrors) {
        return process(decoder.decode(encoded, nameForErrors), nameForErrors);
    }

    /**
     * Preprocesses an already decoded image. Alpha is dropped, gray replicated, palettes looked up.
     *
     * @return channels-first floats, {@code [3 * outputHeight() * outputWidth()]}
     * @throws ResourceLimitException the image has more pixels than the limits allow
     */
    public float[] preprocess(BufferedImage image) {
        return process(decoder.fromBufferedImage(image, "BufferedImage"), "BufferedImage");
    }

    /** Preprocesses an image of any of the forms {@link ImageInput} holds. */
    public float[] preprocess(ImageInput image) {
        return switch (image) {
            case ImageInput.FromFile file -> preprocess(file.file());
            case ImageInput.FromBytes bytes -> preprocess(bytes.encoded(), bytes.name());
            case ImageInput.FromBufferedImage decoded -> preprocess(decoded.image());
        };
    }

    /** Decode step alone (package-private, for tests): the RGB bytes Pillow's {@code convert("RGB")} gives. */
    RgbImage decodeRgb(Path image) {
        return decoder.decode(image);
    }

    /** Decode step alone for bytes (package-private, for tests). */
    RgbImage decodeRgb(byte[] encoded, String nameForErrors) {
        return decoder.decode(encoded, nameForErrors);
    }

    /** Resize step alone (package-private, for tests): the uint8 image HF has before its center crop. */
    RgbImage resize(RgbImage image, String name) {
        if (!config.doResize()) {
            return image;
        }
        int targetHeight;
        int targetWidth;
        if (config.shortestEdge() > 0) {
            int[] size = shortestEdgeSize(image.height(), image.width(), config.shortestEdge());
            targetHeight = size[0];
            targetWidth = size[1];
        } else {
            targetHeight = config.resizeHeight();
            targetWidth = config.resizeWidth();
        }
        // A long thin strip would blow up when its short side is scaled up; the pixel limit applies here too.
        decoder.checkPixelCount(name + " (resized)", targetWidth, targetHeight);
        return PillowBicubicResize.resize(image, targetWidth, targetHeight);
    }

    /**
     * HF's {@code get_resize_output_image_size(default_to_square=False)}: the short side becomes {@code shortEdge},
     * the long side {@code int(shortEdge * long / short)} (true division, then truncation).
     *
     * @return {@code {height, width}}
     */
    static int[] shortestEdgeSize(int height, int width, int shortEdge) {
        int shortSide = Math.min(height, width);
        int longSide = Math.max(height, width);
        // Python divides the exact integers and rounds once; so does a double division below 2^53.
        long newLong = (long) ((double) ((long) shortEdge * longSide) / shortSide);
        if (newLong > Integer.MAX_VALUE) {
            throw new ResourceLimitException(String.format(Locale.ROOT,
                    "image %dx%d would be resized to a %d-pixel long side", width, height, newLong));
        }
        return width <= height ? new int[] {(int) newLong, shortEdge} : new int[] {shortEdge, (int) newLong};
    }

    private float[] process(RgbImage decoded, String name) {
        return cropNormalize.apply(resize(decoded, name));
    }
}
