package dev.aperture.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hostile checkpoints of testdata/checkpoints/hostile/ as its manifest.json describes them; shared with the
 * models and cli tests through aperture-core's test-jar.
 *
 * @param file              the checkpoint
 * @param why               what it does
 * @param mustRefuse        false only for files torch.load(weights_only=True) accepts (no tensors, they only stress
 *                          the interpreter): a reader may open them as a checkpoint without tensors, or refuse them
 * @param messageMentionsAny words of which a refusal's message should contain at least one (case-insensitive)
 */
public record HostileCheckpoints(Path file, String why, boolean mustRefuse, List<String> messageMentionsAny) {

    /** Every entry of the manifest. */
    public static List<HostileCheckpoints> all() {
        Path folder = TestData.checkpoints("hostile");
        try {
            List<HostileCheckpoints> cases = new ArrayList<>();
            for (JsonNode entry : new ObjectMapper().readTree(folder.resolve("manifest.json").toFile())) {
                List<String> words = new ArrayList<>();
                entry.get("message_mentions_any").forEach(word -> words.add(word.asText()));
                cases.add(new HostileCheckpoints(folder.resolve(entry.get("file").asText()), entry.get("why").asText(),
                        entry.get("must_refuse").asBoolean(), List.copyOf(words)));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether a refusal's {@code message} names the problem: in one of the manifest's words, or, for a file the
     * reference accepts, by saying it holds no tensors (what such a file amounts to for a model).
     */
    public boolean isExplainedBy(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        return messageMentionsAny.stream().anyMatch(word -> lower.contains(word.toLowerCase(Locale.ROOT)))
                || (!mustRefuse && lower.contains("holds no tensors"));
    }

    /** The file name and what it does, for a test's display name. */
    @Override
    public String toString() {
        return file.getFileName() + ": " + why;
    }
}
