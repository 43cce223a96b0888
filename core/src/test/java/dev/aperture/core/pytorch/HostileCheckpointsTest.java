package dev.aperture.core.pytorch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aperture.core.ApertureException;
import dev.aperture.core.TestData;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.core.tensor.TensorSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every malformed and malicious checkpoint of testdata/checkpoints/hostile/ (manifest.json says what each does) is
 * refused with an {@link ApertureException} whose message contains one of the words the manifest lists, within
 * 10 s. The files the reference itself accepts ({@code must_refuse: false}: they hold no tensors and only stress the
 * interpreter) may open instead, with no tensors. The same files are fed to the command line under a 512 MB heap in
 * the cli module's {@code HostileCheckpointCommandsTest}.
 */
class HostileCheckpointsTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    /** One entry of manifest.json. */
    record Case(Path file, String why, boolean mustRefuse, List<String> messageMentionsAny) {
    }

    static List<Case> cases() throws IOException {
        Path folder = TestData.checkpoints("hostile");
        JsonNode manifest = new ObjectMapper().readTree(folder.resolve("manifest.json").toFile());
        List<Case> cases = new ArrayList<>();
        for (JsonNode entry : manifest) {
            List<String> words = new ArrayList<>();
            entry.get("message_mentions_any").forEach(word -> words.add(word.asText()));
            cases.add(new Case(folder.resolve(entry.get("file").asText()), entry.get("why").asText(),
                    entry.get("must_refuse").asBoolean(), words));
        }
        return cases;
    }

    /** Whether the message names the problem in one of the manifest's words (case-insensitive). */
    static boolean mentionsAny(String message, List<String> words) {
        String lower = message.toLowerCase(Locale.ROOT);
        return words.stream().anyMatch(word -> lower.contains(word.toLowerCase(Locale.ROOT)));
    }

    @TestFactory
    List<DynamicTest> everyHostileCheckpointIsRefusedOrHarmless() throws IOException {
        List<Case> cases = cases();
        assertEquals(13, cases.size(), "the manifest lists 13 files");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.file().getFileName() + ": " + c.why(),
                () -> assertTimeoutPreemptively(LIMIT, () -> check(c)))).toList();
    }

    private static void check(Case c) {
        if (c.mustRefuse()) {
            ApertureException e = assertThrows(ApertureException.class, () -> Checkpoints.open(c.file()).close());
            assertTrue(mentionsAny(e.getMessage(), c.messageMentionsAny()),
                    "message should mention one of " + c.messageMentionsAny() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(c.file().getFileName().toString()), "message should name the file: "
                    + e.getMessage());
            return;
        }
        try (TensorSource source = Checkpoints.open(c.file())) {
            assertTrue(source.names().isEmpty(), "a pickle without tensors gives no tensors");
        } catch (ApertureException e) {
            assertTrue(mentionsAny(e.getMessage(), c.messageMentionsAny()),
                    "message should mention one of " + c.messageMentionsAny() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            fail("expected a typed refusal, got " + e);
        }
    }
}
