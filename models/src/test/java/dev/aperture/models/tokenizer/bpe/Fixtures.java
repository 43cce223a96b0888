package dev.aperture.models.tokenizer.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.models.TestData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tokenizer goldens: reads their JSON from the fixtures (see TestData). */
final class Fixtures {
    private Fixtures() {
    }




    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    /** One entry of clip-tiny/tokenizer_golden.json. */
    record GoldenText(int index, String text, int[] fastIds) {
    }

    static List<GoldenText> tokenizerGolden() {
        List<GoldenText> entries = new ArrayList<>();
        int index = 0;
        for (JsonNode entry : json(TestData.clipTiny().resolve("tokenizer_golden.json"))) {
            entries.add(new GoldenText(index++, entry.path("text").asText(), ints(entry.path("fast_ids"))));
        }
        return entries;
    }

    /** Copies only the slow-tokenizer files of a model folder, so loading must use vocab.json + merges.txt. */
    static Path slowFilesOnly(Path modelDir, Path target) {
        try {
            for (String name : List.of("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json")) {
                Files.copy(modelDir.resolve(name), target.resolve(name));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
