package dev.aperture.models.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.InputException;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import dev.aperture.models.ImageInput;
import dev.aperture.models.Npy;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.ClipModel;
import dev.aperture.testkit.TorchZipWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Converting the clip-tiny checkpoints re-saved by torch.save (testdata/checkpoints/README.txt) into safetensors:
 * the tensors come out equal to clip-tiny's own safetensors files, the folder loads and reproduces the goldens, and
 * the output folder is only ever written whole.
 */
class CheckpointConverterTest {
    private static final double EMBEDDING_TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private static Path layout(String name) {
        return TestData.dir().resolve("checkpoints/clip-tiny-bin").resolve(name);
    }

    private static ConvertOptions options() {
        return ConvertOptions.defaults();
    }

    private ConversionResult convert(String layout, ConvertOptions options) {
        return CheckpointConverter.convert(layout(layout).toString(), dir.resolve("out"), options);
    }

    @ParameterizedTest(name = "{0} gives {1}")
    @CsvSource({
            "zip, model.safetensors",
            "legacy, model.safetensors",
            "views, model.safetensors",
            "sharded, model.safetensors",
            "fp16, model.fp16.safetensors",
            "bf16, model.bf16.safetensors"})
    void everyLayoutConvertsToOneFileEqualToTheSafetensorsReference(String layout, String reference) {
        ConversionResult result = convert(layout, options());
        assertEquals(List.of("model.safetensors"), result.weightFiles());
        assertSameTensors(TestData.clipTiny().resolve(reference), dir.resolve("out/model.safetensors"));
        try (TensorSource source = Checkpoints.open(layout(layout))) {
            assertEquals(source.names().size(), result.tensorCount());
        }
    }

    @Test
    void castingToF16EqualsTheFp16ReferenceBitForBit() {
        ConversionResult result = convert("zip", options().withDtype(TargetDType.F16));
        assertEquals(TargetDType.F16, result.dtype());
        assertSameTensors(TestData.clipTiny().resolve("model.fp16.safetensors"), dir.resolve("out/model.safetensors"));
    }

    @Test
    void castingToBf16EqualsTheBf16ReferenceBitForBit() {
        convert("zip", options().withDtype(TargetDType.BF16));
        assertSameTensors(TestData.clipTiny().resolve("model.bf16.safetensors"), dir.resolve("out/model.safetensors"));
    }

    @Test
    void castingHalfPrecisionToF32WidensEveryValueExactly() {
        convert("fp16", options().withDtype(TargetDType.F32));
        try (SafeTensors half = SafeTensors.open(TestData.clipTiny().resolve("model.fp16.safetensors"));
             SafeTensors widened = SafeTensors.open(dir.resolve("out/model.safetensors"))) {
            for (String name : half.names()) {
                assertEquals(DType.F32, widened.tensor(name).dtype(), name);
                assertArrayEquals(half.tensor(name).toFloatArray(), widened.tensor(name).toFloatArray(), name);
            }
        }
    }

    @Test
    void integerBuffersKeepTheirNameTypeAndBytesWhileFloatsAreCast() throws IOException {
        Path source = binWithBuffers();
        CheckpointConverter.convert(source.toString(), dir.resolve("out"), options().withDtype(TargetDType.BF16));
        try (TensorSource original = Checkpoints.open(source);
             SafeTensors converted = SafeTensors.open(dir.resolve("out/model.safetensors"))) {
            assertEquals(original.names(), converted.names());
            TensorView ids = converted.tensor("text_model.embeddings.position_ids");
            assertEquals(DType.I64, ids.dtype());
            assertEquals(-1, ids.data().mismatch(original.tensor("text_model.embeddings.position_ids").data()));
            assertEquals(DType.BF16, converted.tensor("f64_buffer").dtype());
            assertEquals(DType.BF16, converted.tensor("logit_scale").dtype());
        }
    }

    @Test
    void convertedFolderLoadsWithClipModelAndMatchesTheGoldens() throws IOException {
        convert("zip", options());
        Path tiny = TestData.clipTiny();
        JsonNode golden = new ObjectMapper().readTree(tiny.resolve("golden/golden.json").toFile());
        List<String> texts = new ArrayList<>();
        List<Integer> textRows = new ArrayList<>();
        for (JsonNode text : golden.get("texts")) {
            // Goldens come from the slow tokenizer; where it differs from the fast one (which we reproduce), skip.
            if (text.get("fast_equals_slow").asBoolean()) {
                texts.add(text.get("text").asText());
                textRows.add(text.get("index").asInt());
            }
        }
        List<ImageInput> pngs = new ArrayList<>();
        for (JsonNode image : golden.get("images")) {
            if (image.get("file").asText().endsWith(".png")) {
                pngs.add(ImageInput.of(tiny.resolve(image.get("file").asText())));
            }
        }
        try (ClipModel model = ClipModel.load(dir.resolve("out"))) {
            float[][] textEmbeddings = model.embedTexts(texts);
            float[][] imageEmbeddings = model.embedImages(pngs);
            Npy expectedTexts = Npy.read(tiny.resolve("golden/text_embeds.npy"));
            Npy expectedImages = Npy.read(tiny.resolve("golden/image_embeds.npy"));
            for (int i = 0; i < texts.size(); i++) {
                assertClose(expectedTexts.row(textRows.get(i)), textEmbeddings[i], "text " + texts.get(i));
            }
            for (int i = 0; i < pngs.size(); i++) {
                assertClose(expectedImages.row(i), imageEmbeddings[i], pngs.get(i).name());
            }
        }
    }

    @Test
    void writesTheFormatMetadataTransformersRequires() {
        convert("legacy", options());
        try (SafeTensors converted = SafeTensors.open(dir.resolve("out/model.safetensors"))) {
            assertEquals(Map.of("format", "pt"), converted.metadata());
        }
    }

    @Test
    void aSmallMaxShardSizeWritesShardsAndAnIndexThatReadBack() throws IOException {
        ConversionResult result = convert("sharded", options().withMaxShardBytes(2_000_000));
        List<String> files = result.weightFiles();
        assertTrue(files.size() >= 3, files.toString());
        int shards = files.size() - 1;
        for (int i = 0; i < shards; i++) {
            assertEquals(String.format("model-%05d-of-%05d.safetensors", i + 1, shards), files.get(i));
            try (SafeTensors shard = SafeTensors.open(dir.resolve("out").resolve(files.get(i)))) {
                assertEquals(Map.of("format", "pt"), shard.metadata(), files.get(i));
            }
        }
        assertEquals("model.safetensors.index.json", files.getLast());
        assertFalse(Files.exists(dir.resolve("out/model.safetensors")));
        assertSameTensors(TestData.clipTiny().resolve("model.safetensors"), dir.resolve("out"));
        JsonNode index = new ObjectMapper().readTree(dir.resolve("out/model.safetensors.index.json").toFile());
        assertEquals(result.tensorBytes(), index.get("metadata").get("total_size").asLong());
    }

    @Test
    void carriesOverTheConfigTokenizerAndPreprocessorFilesOnly() throws IOException {
        ConversionResult result = convert("zip", options());
        assertEquals(List.of("config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "vocab.json", "merges.txt"), result.copiedFiles());
        for (String name : result.copiedFiles()) {
            assertEquals(-1, Files.mismatch(layout("zip").resolve(name), dir.resolve("out").resolve(name)), name);
        }
        List<String> everything = new ArrayList<>(result.weightFiles());
        everything.addAll(result.copiedFiles());
        assertEquals(everything.stream().sorted().toList(), entries(dir.resolve("out")));
    }

    @Test
    void refusesAFolderThatIsNotEmptyAndLeavesItUntouched() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        InputException e = assertThrows(InputException.class, () -> convert("zip", options()));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("not empty"), e.getMessage());
        assertEquals(List.of("notes.txt"), entries(out));
    }

    @Test
    void overwritingReplacesAnEarlierConversionAndRemovesItsStaleShards() throws IOException {
        convert("zip", options().withMaxShardBytes(2_000_000));
        Files.writeString(dir.resolve("out/notes.txt"), "mine");
        ConversionResult result = convert("fp16", options().withOverwrite(true));
        assertEquals(List.of("model.safetensors"), result.weightFiles());
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertTrue(files.noneMatch(file -> file.getFileName().toString().startsWith("model-")
                    || file.getFileName().toString().endsWith(".index.json")), "stale shards or index left");
        }
        assertEquals("mine", Files.readString(dir.resolve("out/notes.txt")));
        assertSameTensors(TestData.clipTiny().resolve("model.fp16.safetensors"), dir.resolve("out"));
    }

    @Test
    void refusesToWriteIntoTheFolderItReadsFromEvenWhenOverwriting() throws IOException {
        Path source = dir.resolve("source");
        copyFolder(layout("zip"), source);
        InputException e = assertThrows(InputException.class, () -> CheckpointConverter.convert(source.toString(),
                source, options().withOverwrite(true)));
        assertTrue(e.getMessage().contains("read from"), e.getMessage());
        assertFalse(Files.exists(source.resolve("model.safetensors")));
    }

    @Test
    void aTensorThatCannotBeCastFailsNamingItAndLeavesNoOutputFolder() throws IOException {
        Path source = Files.createDirectories(dir.resolve("fp8"));
        Files.copy(layout("zip").resolve("config.json"), source.resolve("config.json"));
        SafeTensors.write(source.resolve("model.safetensors"), List.of(
                TensorToWrite.ofFloats("kept.weight", DType.F32, new long[] {2}, new float[] {1, 2}),
                TensorToWrite.ofBytes("quantized.weight", DType.F8_E4M3, new long[] {4}, new byte[] {1, 2, 3, 4})));
        InputException e = assertThrows(InputException.class, () -> CheckpointConverter.convert(source.toString(),
                dir.resolve("out"), options().withDtype(TargetDType.F16)));
        assertTrue(e.getMessage().contains("'quantized.weight'") && e.getMessage().contains("F8_E4M3"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "a failed conversion must not leave the folder it created");
    }

    @Test
    void aFailedOverwriteLeavesTheEarlierConversionAsItWas() throws IOException {
        convert("zip", options());
        List<String> before = entries(dir.resolve("out"));
        Path source = Files.createDirectories(dir.resolve("fp8"));
        Files.copy(layout("zip").resolve("config.json"), source.resolve("config.json"));
        SafeTensors.write(source.resolve("model.safetensors"), List.of(
                TensorToWrite.ofBytes("quantized.weight", DType.F8_E5M2, new long[] {1}, new byte[] {1})));
        assertThrows(InputException.class, () -> CheckpointConverter.convert(source.toString(), dir.resolve("out"),
                options().withDtype(TargetDType.BF16).withOverwrite(true)));
        assertEquals(before, entries(dir.resolve("out")), "no staging folder or partial file may remain");
        assertSameTensors(TestData.clipTiny().resolve("model.safetensors"), dir.resolve("out"));
    }

    /** Every tensor of {@code expected} is in {@code actual} with the same dtype, shape and bytes. */
    private static void assertSameTensors(Path expected, Path actual) {
        try (TensorSource want = Checkpoints.open(expected); TensorSource got = Checkpoints.open(actual)) {
            for (String name : want.names()) {
                assertEquals(want.tensor(name).dtype(), got.tensor(name).dtype(), name);
                assertArrayEquals(want.tensor(name).shape(), got.tensor(name).shape(), name);
                assertEquals(-1, want.tensor(name).data().mismatch(got.tensor(name).data()), name);
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double maxError = 0;
        for (int i = 0; i < expected.length; i++) {
            maxError = Math.max(maxError, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(maxError <= EMBEDDING_TOLERANCE, what + ": max abs error " + maxError);
    }

    /**
     * clip-tiny as a torch zip checkpoint that also holds what real checkpoints carry besides weights: an I64
     * {@code position_ids} buffer and an F64 tensor.
     */
    private Path binWithBuffers() throws IOException {
        Path folder = dir.resolve("with-buffers");
        copyFolder(layout("zip"), folder);
        Files.delete(folder.resolve("pytorch_model.bin"));
        ByteBuffer ids = ByteBuffer.allocate(77 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < 77; i++) {
            ids.putLong(i);
        }
        ByteBuffer doubles = ByteBuffer.allocate(3 * 8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-2)
                .putDouble(1e-40);
        Path staging = dir.resolve("with-buffers.safetensors");
        try (TensorSource weights = Checkpoints.open(layout("zip"))) {
            List<TensorToWrite> tensors = new ArrayList<>(weights.names().stream().map(weights::tensor)
                    .map(TensorToWrite::of).toList());
            tensors.add(TensorToWrite.ofBytes("text_model.embeddings.position_ids", DType.I64, new long[] {1, 77},
                    ids.array()));
            tensors.add(TensorToWrite.ofBytes("f64_buffer", DType.F64, new long[] {3}, doubles.array()));
            SafeTensors.write(staging, tensors);
        }
        try (SafeTensors all = SafeTensors.open(staging)) {
            TorchZipWriter.write(folder.resolve("pytorch_model.bin"), all);
        }
        return folder;
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static List<String> entries(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
