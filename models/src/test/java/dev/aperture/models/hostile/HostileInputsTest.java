package dev.aperture.models.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.ApertureException;
import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.models.ImageInput;
import dev.aperture.models.InputLimits;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.models.image.ImageLimits;
import dev.aperture.models.image.ImagePreprocessor;
import dev.aperture.models.tokenizer.bpe.ClipTokenizer;
import dev.aperture.models.tokenizer.bpe.MinimalTokenizerJson;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written malicious-file suite: each hostile file or input is refused quickly (the timeout is generous;
 * each takes milliseconds) with the documented exception type, and the message names the file, input or limit.
 */
@Timeout(value = 3, unit = TimeUnit.SECONDS)
class HostileInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ClipModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        InputLimits limits = InputLimits.defaults().withMaxInputsPerCall(1_000).withMaxLabels(50);
        model = ClipModel.load(TestData.clipTiny(), ModelOptions.defaults().withThreads(2).withLimits(limits));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static <T extends ApertureException> void assertRefused(Class<T> type, Executable call,
                                                                    String... fragments) {
        T e = assertThrows(type, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message should contain '" + fragment + "': " + e.getMessage());
        }
    }

    @Test
    void safetensorsHeaderClaimingTwoToTheSixtyThreeBytesIsAFormatError() {
        Path file = HostileFiles.safetensors(dir.resolve("huge-header.safetensors"), 1L << 63, "{}");
        assertRefused(FormatException.class, () -> SafeTensors.open(file),
                "huge-header.safetensors", "header length 9223372036854775808", "larger than the file");
    }

    @Test
    void tensorOfShapeTwoToTheThirtyOneSquaredIsAFormatError() {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483648,2147483648],\"data_offsets\":[0,16]}}";
        Path file = HostileFiles.safetensors(dir.resolve("huge-shape.safetensors"), header, 16);
        assertRefused(FormatException.class, () -> SafeTensors.open(file), "huge-shape.safetensors", "'w'");
    }

    @Test
    void offsetsPointingPastTheEndAreAFormatError() {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[1000000,1000016]}}";
        Path file = HostileFiles.safetensors(dir.resolve("past-end.safetensors"), header, 16);
        assertRefused(FormatException.class, () -> SafeTensors.open(file), "past-end.safetensors", "'w'",
                "out of range");
    }

    @Test
    void moreTensorsThanTheLimitIsAResourceLimitError() {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < 3; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i)
                    .append("\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[").append(i).append(',')
                    .append(i + 1).append("]}");
        }
        Path file = HostileFiles.safetensors(dir.resolve("many.safetensors"), header.append('}').toString(), 3);
        CheckpointLimits limits = CheckpointLimits.DEFAULT.withMaxTensors(2);
        assertRefused(ResourceLimitException.class, () -> SafeTensors.open(file, limits),
                "many.safetensors", "3 tensors", "maxTensors");
    }

    @Test
    void pngDeclaringHundredThousandByHundredThousandPixelsIsAResourceLimitError() {
        byte[] bomb = HostileFiles.png(100_000, 100_000, 8, 2);
        assertRefused(ResourceLimitException.class,
                () -> model.embedImages(List.of(ImageInput.of(bomb, "bomb.png"))),
                "bomb.png", "100000x100000", "maxPixels");
    }

    @Test
    void pngWithinThePixelLimitButOverTheMemoryLimitIsAResourceLimitError() {
        // 2000 x 2000 16-bit RGBA: 4 MP is within the default pixel limit; 8 + 3 bytes per pixel is 44 MB.
        byte[] wide = HostileFiles.png(2_000, 2_000, 16, 6);
        ImagePreprocessor strict = new ImagePreprocessor(model.preprocessor().config(),
                new ImageLimits(ImageLimits.DEFAULT_MAX_PIXELS, 32L << 20));
        assertRefused(ResourceLimitException.class, () -> strict.preprocess(wide, "deep.png"),
                "deep.png", "44000000 bytes", "maxDecodedBytes");
    }

    @Test
    void preprocessorConfigWithAHugeCropIsAResourceLimitErrorAtLoading() throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(
                TestData.clipTiny().resolve("preprocessor_config.json").toFile());
        config.putObject("crop_size").put("height", Integer.MAX_VALUE).put("width", 224);
        Files.writeString(dir.resolve("preprocessor_config.json"), JSON.writeValueAsString(config));
        assertRefused(ResourceLimitException.class, () -> ImagePreprocessor.load(dir),
                "output size", "224x2147483647", "maxPixels");
    }

    @Test
    void tenMegabyteSingleWordIsAResourceLimitErrorBeforeTokenizing() {
        String word = "a".repeat(10 << 20);
        assertRefused(ResourceLimitException.class, () -> model.embedTexts(List.of("a cat", word)),
                "text 1", "10485760 characters", "maxTextChars");
        assertRefused(ResourceLimitException.class, () -> model.tokenizer().encode(word),
                "10485760 characters", "maxTextChars");
    }

    @Test
    void tokenizerJsonWithACyclicMergeIsAFormatError() throws IOException {
        ObjectNode tokenizer = MinimalTokenizerJson.create();
        ((ObjectNode) tokenizer.get("model").get("vocab")).put("", 7);
        ((ArrayNode) tokenizer.get("model").get("merges")).add(JSON.createArrayNode().add("a").add(""));
        Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizer));
        assertRefused(FormatException.class, () -> ClipTokenizer.load(dir), "tokenizer.json", "cyclic");
    }

    @Test
    void tokenizerJsonWithMissingMergesIsAFormatError() throws IOException {
        ObjectNode tokenizer = MinimalTokenizerJson.create();
        ((ObjectNode) tokenizer.get("model")).remove("merges");
        Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizer));
        assertRefused(FormatException.class, () -> ClipTokenizer.load(dir), "tokenizer.json", "model.merges");
    }

    @Test
    void tokenizerJsonWithAMergeOfUnknownTokensIsAFormatError() throws IOException {
        ObjectNode tokenizer = MinimalTokenizerJson.create();
        ((ArrayNode) tokenizer.get("model").get("merges")).add("ab ab");
        Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizer));
        assertRefused(FormatException.class, () -> ClipTokenizer.load(dir), "tokenizer.json", "\"abab\"");
    }

    @Test
    void tokenizerJsonWithACatastrophicallyBacktrackingRegexIsAResourceLimitErrorNotAHang() throws IOException {
        // Four \s* before an x need about n^5/120 steps on n spaces: 8 * 10^12 here, hours without the read budget.
        ObjectNode tokenizer = MinimalTokenizerJson.create();
        ObjectNode split = JSON.createObjectNode().put("type", "Split").put("behavior", "Isolated").put("invert", false);
        split.putObject("pattern").put("Regex", "\\s*\\s*\\s*\\s*x");
        ObjectNode byteLevel = (ObjectNode) tokenizer.get("pre_tokenizer");
        ObjectNode sequence = tokenizer.putObject("pre_tokenizer").put("type", "Sequence");
        sequence.putArray("pretokenizers").add(split).add(byteLevel);
        Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizer));
        ClipTokenizer hostile = ClipTokenizer.load(dir);
        assertRefused(ResourceLimitException.class, () -> hostile.encode("a" + " ".repeat(1_000) + "b"),
                "tokenizer.json", "pre_tokenizer.pretokenizers[0]", "/\\s*\\s*\\s*\\s*x/", "catastrophic");
    }

    @Test
    void moreInputsPerCallThanTheLimitIsAResourceLimitError() {
        List<String> texts = Collections.nCopies(1_001, "a photo");
        assertRefused(ResourceLimitException.class, () -> model.embedTexts(texts), "1001 texts", "maxInputsPerCall");
    }

    @Test
    void moreLabelsThanTheLimitIsAResourceLimitError() throws IOException {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            labels.add("label " + i);
        }
        byte[] image = Files.readAllBytes(TestData.clipTiny().resolve("images/gradient_64x64_rgb.png"));
        ZeroShotClassifier classifier = new ZeroShotClassifier(model);
        assertRefused(ResourceLimitException.class,
                () -> classifier.classify(ImageInput.of(image, "gradient.png"), labels), "51 labels", "maxLabels");
    }

}
