package dev.aperture.core.pytorch;

import dev.aperture.core.ApertureException;
import dev.aperture.core.checkpoint.Checkpoints;
import dev.aperture.testkit.HostileCheckpoints;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every malformed and malicious checkpoint of testdata/checkpoints/hostile/ is refused by {@link Checkpoints#open}
 * with an {@link ApertureException} naming the file, in words the manifest lists, within 10 s. The two files the
 * reference itself accepts (no tensors; they only stress the interpreter) are refused too, as holding no tensors, or
 * in the manifest's words when a limit stops them first. The models and cli modules feed the same files to
 * {@code ClipModel.load} and to {@code ./aperture inspect} and {@code classify} (under a 512 MB heap).
 */
class HostileCheckpointsTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TestFactory
    List<DynamicTest> everyHostileCheckpointIsRefusedOrHarmless() {
        List<HostileCheckpoints> cases = HostileCheckpoints.all();
        assertEquals(13, cases.size(), "the manifest lists 13 files");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.toString(),
                () -> assertTimeoutPreemptively(LIMIT, () -> check(c)))).toList();
    }

    private static void check(HostileCheckpoints c) {
        ApertureException e = assertThrows(ApertureException.class, () -> Checkpoints.open(c.file()).close());
        assertTrue(c.isExplainedBy(e.getMessage()), c.messageMentionsAny() + " in: " + e.getMessage());
        assertTrue(e.getMessage().contains(c.file().getFileName().toString()), "names the file: " + e.getMessage());
    }
}
