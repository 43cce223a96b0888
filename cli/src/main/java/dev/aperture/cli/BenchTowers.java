package dev.aperture.cli;

import dev.aperture.models.ImageTextModel;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.clip.ClipTowers;
import dev.aperture.models.siglip.SiglipModel;
import dev.aperture.models.siglip.SiglipTowers;
import dev.aperture.models.tokenizer.TokenBatch;
import dev.aperture.models.tokenizer.sentencepiece.SiglipTokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What {@code bench} feeds a model's towers directly, per family: the image tower with random preprocessed pixels of
 * the model's image size, and the text tower with random token ids shaped like the family's real inputs.
 * <ul>
 *   <li>CLIP: prompts of 8 and of {@code max_position_embeddings} (77) tokens, unpadded. CLIP pools at the EOS
 *       token, so its tokenizer need not pad, and a short prompt costs less than a long one.</li>
 *   <li>SigLIP: an 8-token prompt padded to {@code max_length} (64), as every SigLIP text is: the tower pools the
 *       last position and attends to the padding, so each text costs the full length.</li>
 * </ul>
 */
final class BenchTowers {
    private static final int SHORT_PROMPT_TOKENS = 8;

    /** One text-tower stage: its name in the report and the ids of one call. */
    record TextInput(String stage, int[][] ids) {
    }

    private final int pixelsPerImage;
    private final UnaryOperator<float[][]> imageTower;
    private final Function<int[][], float[][]> textTower;
    private final List<TextInput> textInputs;

    private BenchTowers(int pixelsPerImage, UnaryOperator<float[][]> imageTower, Function<int[][], float[][]> textTower,
                        List<TextInput> textInputs) {
        this.pixelsPerImage = pixelsPerImage;
        this.imageTower = imageTower;
        this.textTower = textTower;
        this.textInputs = textInputs;
    }

    /**
     * The towers of {@code model} with text inputs of {@code batch} prompts each, drawn from {@code random}.
     *
     * @throws IllegalArgumentException for a family bench does not know
     */
    static BenchTowers of(ImageTextModel model, Random random, int batch) {
        return switch (model) {
            case ClipModel clip -> clip(clip, random, batch);
            case SiglipModel siglip -> siglip(siglip, random, batch);
            default -> throw new IllegalArgumentException("bench does not know the " + model.family() + " family");
        };
    }

    /** Values per preprocessed image (channels × height × width). */
    int pixelsPerImage() {
        return pixelsPerImage;
    }

    float[][] encodeImages(float[][] pixels) {
        return imageTower.apply(pixels);
    }

    /** The text stages, in report order. */
    List<TextInput> textInputs() {
        return textInputs;
    }

    /** The text tower's features of {@code ids} (unnormalized), with the family's own masking. */
    float[][] encodeText(int[][] ids) {
        return textTower.apply(ids);
    }

    private static BenchTowers clip(ClipModel model, Random random, int batch) {
        ClipTowers towers = model.towers();
        int[] bosEos = model.tokenizer().encode("");
        int contextLength = model.config().text().maxPositionEmbeddings();
        List<TextInput> inputs = new ArrayList<>();
        for (int length : new int[]{SHORT_PROMPT_TOKENS, contextLength}) {
            inputs.add(new TextInput("text tower, " + length + " tokens",
                    clipPrompts(bosEos[0], bosEos[bosEos.length - 1], random, batch, length)));
        }
        // No attention mask: every row is exactly as long as its prompt, so every position is computed.
        return new BenchTowers(model.config().vision().pixelCount(), towers::encodeImages,
                ids -> towers.encodeText(ids, null), inputs);
    }

    /** Prompts of exactly {@code length} tokens: BOS, random word ids, EOS, as the tokenizer encodes a text. */
    private static int[][] clipPrompts(int bos, int eos, Random random, int count, int length) {
        int[][] prompts = new int[count][length];
        for (int[] prompt : prompts) {
            prompt[0] = bos;
            for (int i = 1; i < length - 1; i++) {
                prompt[i] = 256 + random.nextInt(Math.min(bos, eos) - 256);   // ordinary BPE tokens
            }
            prompt[length - 1] = eos;
        }
        return prompts;
    }

    private static BenchTowers siglip(SiglipModel model, Random random, int batch) {
        SiglipTowers towers = model.towers();
        SiglipTokenizer tokenizer = model.tokenizer();
        int[] end = tokenizer.encode("");   // what the tokenizer appends: EOS for spiece.model, nothing for Gemma's
        List<int[]> prompts = new ArrayList<>();
        for (int p = 0; p < batch; p++) {
            int[] prompt = new int[SHORT_PROMPT_TOKENS];
            int words = SHORT_PROMPT_TOKENS - end.length;
            for (int i = 0; i < words; i++) {
                prompt[i] = random.nextInt(tokenizer.vocabSize());   // any ids: the cost does not depend on them
            }
            System.arraycopy(end, 0, prompt, words, end.length);
            prompts.add(prompt);
        }
        int[][] ids = TokenBatch.padded(prompts, tokenizer.padId(), tokenizer.maxLength(), tokenizer.paddingSide())
                .ids();
        List<TextInput> inputs = List.of(new TextInput("text tower, " + tokenizer.maxLength() + " tokens (padded)",
                ids));
        return new BenchTowers(model.config().vision().pixelCount(), towers::encodeImages, towers::encodeText,
                inputs);
    }
}
