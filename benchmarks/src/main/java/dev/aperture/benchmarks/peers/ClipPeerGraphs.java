package dev.aperture.benchmarks.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The ONNX Runtime peer's CLIP ViT-B/32 towers, {@code clip_vision.onnx} and {@code clip_text.onnx}: the exact
 * openai/clip-vit-base-patch32 graphs with random external weights. The shared folder that holds them
 * (system property {@code aperture.peers.clip}, default {@code ../shared/peers/onnx-clip-vit-b32}) is read-only and
 * has only the graphs and {@code fill_weights.py}, so the graphs are copied to a cache folder and the script writes
 * the 604 MB of weights beside them there, once: {@code <aperture.cache or ~/.cache/aperture>/onnx-clip-vit-b32}.
 *
 * <p>{@code fill_weights.py} repeats one block of 1 Mi values, so many tensors hold identical bytes, and ONNX Runtime
 * then keeps less than one copy per tensor: its peak memory on those weights was 534 MiB, against 902 MiB on weights
 * drawn independently (2026-12-03, RESULTS.md). Speed does not depend on the values; memory does. With
 * {@code -Daperture.peers.clip.weights=distinct} every value is drawn on its own (uniform in [-0.05, 0.05], as the
 * script's), written over the script's files in {@code onnx-clip-vit-b32-distinct}: what memory comparisons use.
 */
public final class ClipPeerGraphs {
    public static final String VISION = "clip_vision.onnx";
    public static final String TEXT = "clip_text.onnx";
    private static final String FILL_WEIGHTS = "fill_weights.py";
    /** Written after fill_weights.py succeeded: a run stopped halfway through the weights leaves none. */
    private static final String COMPLETE = "weights.complete";

    private ClipPeerGraphs() {
    }

    /** The graph named {@code name} ({@link #VISION} or {@link #TEXT}) with its weights, written on first use. */
    public static synchronized Path graph(String name) {
        Path source = sourceFolder();
        Path cache = cacheFolder();
        try {
            Files.createDirectories(cache);
            if (copyChangedGraphs(source, cache) || !Files.exists(cache.resolve(COMPLETE))) {
                fillWeights(source, cache);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the CLIP peer graphs in " + cache + ": " + e.getMessage(), e);
        }
        return cache.resolve(name);
    }

    /** Copies each graph that is missing or differs from the shared one; true when any was copied. */
    private static boolean copyChangedGraphs(Path source, Path cache) throws IOException {
        boolean copied = false;
        for (String name : new String[] {VISION, TEXT}) {
            Path target = cache.resolve(name);
            if (!Files.exists(target) || Files.mismatch(source.resolve(name), target) != -1) {
                Files.deleteIfExists(cache.resolve(COMPLETE));
                Files.copy(source.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
                copied = true;
            }
        }
        return copied;
    }

    private static void fillWeights(Path source, Path cache) throws IOException {
        System.out.println("Writing the CLIP peer graphs' weights into " + cache + " (once)");
        Process process = new ProcessBuilder("python3", source.resolve(FILL_WEIGHTS).toString(), cache.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(FILL_WEIGHTS + " failed (exit " + process.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + FILL_WEIGHTS + " ran", e);
        }
        System.out.print(output);
        if (distinctWeights()) {
            overwriteWithDistinctValues(cache);
        }
        Files.writeString(cache.resolve(COMPLETE), "written by " + source.resolve(FILL_WEIGHTS)
                + (distinctWeights() ? ", then every value redrawn on its own" : "") + "\n");
    }

    /** Replaces every value of each {@code *.weights} file in {@code cache} by one drawn on its own. */
    private static void overwriteWithDistinctValues(Path cache) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(cache)) {
            files = listing.filter(path -> path.toString().endsWith(".weights")).sorted().toList();
        }
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer block = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
        for (Path file : files) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                long size = channel.size();
                for (long written = 0; written < size; ) {
                    block.clear();
                    int bytes = (int) Math.min(block.capacity(), size - written);
                    while (block.position() < bytes) {
                        block.putFloat((float) (random.nextDouble() * 0.1 - 0.05));
                    }
                    block.flip();
                    while (block.hasRemaining()) {
                        written += channel.write(block, written);
                    }
                }
            }
        }
    }

    private static Path sourceFolder() {
        Path folder = Path.of(System.getProperty("aperture.peers.clip", "../shared/peers/onnx-clip-vit-b32"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(folder.resolve(VISION)) || !Files.isRegularFile(folder.resolve(FILL_WEIGHTS))) {
            throw new IllegalStateException("The CLIP peer graphs are not in " + folder + " (expected " + VISION + ", "
                    + TEXT + " and " + FILL_WEIGHTS + "; set -Daperture.peers.clip=<folder>)");
        }
        return folder;
    }

    private static boolean distinctWeights() {
        String weights = System.getProperty("aperture.peers.clip.weights", "repeated");
        if (!weights.equals("repeated") && !weights.equals("distinct")) {
            throw new IllegalStateException("aperture.peers.clip.weights must be repeated or distinct, got " + weights);
        }
        return weights.equals("distinct");
    }

    private static Path cacheFolder() {
        String configured = System.getProperty("aperture.cache");
        Path base = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "aperture");
        return base.resolve(distinctWeights() ? "onnx-clip-vit-b32-distinct" : "onnx-clip-vit-b32");
    }
}
