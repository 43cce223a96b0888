package dev.aperture.search;

import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.ProgressListener;
import dev.aperture.models.source.HubOptions;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An update killed mid-run (SIGKILL: the JVM gets no chance to close the index or release its lock) and then rerun
 * ends consistent: every indexable image present exactly once, nothing missing, the corrupt files reported, nothing
 * committed before the kill embedded again, and every embedding that of an index built in one go.
 */
@Tag("slow")
class InterruptedUpdateTest {
    static final String MODEL_ID = "clip-tiny";
    private static final int IMAGES = 300;
    /** Tried in turn until a run is caught mid-way: a smaller interval means more commits, so a longer run. */
    private static final int[] COMMIT_INTERVALS = {8, 2, 1};
    /** What {@link Process#exitValue} reports for a process ended by SIGKILL: 128 + signal 9. */
    private static final int KILLED = 137;

    @TempDir
    Path root;

    @Test
    void anUpdateKilledMidRunThenRerunHoldsEveryImageOnceWithTheEmbeddingsOfAnUninterruptedRun() throws Exception {
        Path photos = root.resolve("photos");
        Set<String> indexable = new HashSet<>();
        TestImages.writeImages(photos, IMAGES, 77).forEach(p -> indexable.add(p.toAbsolutePath().normalize().toString()));
        Set<Path> corrupt = Set.of(TestImages.writeCorrupt(photos.resolve("a/broken.png")),
                TestImages.writeCorrupt(photos.resolve("c/truncated.jpg")),
                TestImages.writeCorrupt(photos.resolve("a/b/garbage.gif")));
        Files.createSymbolicLink(photos.resolve("a/b/up"), photos);
        Path index = root.resolve("index");

        int committedBeforeKill = killMidRun(photos, index);

        try (ImageTextModel model = ImageTextModel.load(TestImages.clipTiny().toString(), ModelOptions.defaults(),
                HubOptions.fromEnvironment())) {
            UpdateSummary rerun;
            try (ImageIndex interrupted = ImageIndex.open(index, model, MODEL_ID)) {
                rerun = interrupted.update(ImageFiles.find(List.of(photos), true), true, ProgressListener.NONE);
            }
            assertEquals(IMAGES - committedBeforeKill, rerun.added(), rerun.toString());
            assertEquals(IMAGES - committedBeforeKill, rerun.embedded(), "only what was not committed is embedded");
            assertEquals(committedBeforeKill, rerun.unchanged(), rerun.toString());
            assertEquals(0, rerun.updated(), rerun.toString());
            assertEquals(0, rerun.removed(), rerun.toString());
            Set<Path> failed = new HashSet<>();
            rerun.failed().forEach(failure -> failed.add(failure.path()));
            assertEquals(Set.copyOf(corrupt.stream().map(p -> p.toAbsolutePath().normalize()).toList()), failed);

            IndexContents contents = IndexContents.read(index);
            assertEquals(IMAGES, contents.paths().size(), "entries (a duplicate path would add one)");
            assertEquals(indexable, Set.copyOf(contents.paths()));

            Path clean = root.resolve("clean-index");
            try (ImageIndex once = ImageIndex.open(clean, model, MODEL_ID)) {
                once.update(ImageFiles.find(List.of(photos), true), true, ProgressListener.NONE);
            }
            IndexContents uninterrupted = IndexContents.read(clean);
            for (String path : indexable) {
                assertArrayEquals(uninterrupted.embeddings().get(path), contents.embeddings().get(path), 1e-6f, path);
            }
        }
    }

    /**
     * Runs the indexing child with each commit interval in turn until one is killed after its first commit and before
     * its last; returns how many images that run left committed. Fails when every run finished first.
     */
    private int killMidRun(Path photos, Path index) throws Exception {
        List<String> attempts = new ArrayList<>();
        for (int commitEvery : COMMIT_INTERVALS) {
            deleteRecursively(index);
            Path log = root.resolve("child-" + commitEvery + ".log");
            Process child = startChild(photos, index, commitEvery, log);
            awaitFirstCommittedImage(index, child, log);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child JVM did not end");
            int committed = committedImages(index);
            if (child.exitValue() == KILLED && committed < IMAGES) {
                return committed;
            }
            if (child.exitValue() != 0 && child.exitValue() != KILLED) {
                fail("The indexing child failed (exit " + child.exitValue() + "):\n" + Files.readString(log));
            }
            attempts.add("every " + commitEvery + ": exit " + child.exitValue() + ", " + committed + " committed");
        }
        return fail("The indexing child always finished before it was killed: " + attempts);
    }

    private static Process startChild(Path photos, Path index, int commitEvery, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The test's own class path (surefire runs tests on the class path) and the flags the models need.
        return new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), IndexInAnotherProcess.class.getName(),
                TestImages.clipTiny().toString(), photos.toString(), index.toString(), Integer.toString(commitEvery))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Polls the index folder until a commit holds an image, or the child has exited. */
    private static void awaitFirstCommittedImage(Path index, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (committedImages(index) == 0 && child.isAlive()) {
            if (System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail("No image committed within 60 s:\n" + Files.readString(log));
            }
            Thread.sleep(2);
        }
    }

    /** Images in the folder's latest commit; 0 before the first. */
    private static int committedImages(Path index) throws IOException {
        if (!Files.isDirectory(index)) {
            return 0;
        }
        try (FSDirectory directory = FSDirectory.open(index)) {
            if (!DirectoryReader.indexExists(directory)) {
                return 0;
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                return reader.numDocs();
            }
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
