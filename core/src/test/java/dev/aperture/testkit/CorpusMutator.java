package dev.aperture.testkit;

import dev.aperture.core.ApertureException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A seeded, bounded mutation fuzzer over a Jazzer regression corpus, for CI: every target gets a deterministic
 * stream of structure-aware mutations (bit flips, JSON/number/length-field tampering, chunk deletion, duplication
 * and splicing). It was written to stand in for Jazzer 0.24, whose coverage instrumentation could not read JDK 25
 * class files; the Jazzer this build uses ({@code jazzer.version} in the root pom, 0.30.0 or later) can, and its
 * coverage-guided fuzzing runs in {@code verify} as well (core/FUZZING.md). This loop stays beside it: its
 * mutations know the formats, and a run is reproducible.
 *
 * <p>Contract checked for each mutated input: the target returns, or throws an {@link ApertureException}. Anything
 * else (another exception, {@link StackOverflowError}, {@link OutOfMemoryError}) is a finding: the input is saved
 * under {@code target/fuzz-findings/<target>/} and the test fails naming that file.
 *
 * <p>The number of mutations comes from the system property {@code aperture.fuzz.mutations} (default
 * {@value #DEFAULT_MUTATIONS}); the seed from {@code aperture.fuzz.seed} (default fixed, so CI is reproducible).
 *
 * <p>Shared with the models module's fuzz tests through aperture-core's test-jar.
 */
public final class CorpusMutator {
    static final int DEFAULT_MUTATIONS = 2_000;
    private static final byte[][] INTERESTING_TOKENS = {
            "0".getBytes(StandardCharsets.US_ASCII), "-1".getBytes(StandardCharsets.US_ASCII),
            "4294967296".getBytes(StandardCharsets.US_ASCII), "9223372036854775807".getBytes(StandardCharsets.US_ASCII),
            "18446744073709551616".getBytes(StandardCharsets.US_ASCII), "2147483648".getBytes(StandardCharsets.US_ASCII),
            "1e308".getBytes(StandardCharsets.US_ASCII), "null".getBytes(StandardCharsets.US_ASCII),
            "[]".getBytes(StandardCharsets.US_ASCII), "{}".getBytes(StandardCharsets.US_ASCII),
            "\"\"".getBytes(StandardCharsets.US_ASCII), "\\ud800".getBytes(StandardCharsets.US_ASCII),
            "[[[[[[[[[[[[[[[[".getBytes(StandardCharsets.US_ASCII), {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xFF, (byte) 0xFE}, {0}};
    private static final long[] INTERESTING_LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, 1L << 32,
            Integer.MAX_VALUE, 0xFFFF, 100_000_001};

    private final String target;
    private final List<byte[]> seeds;
    private final Random random;
    private final int maxLength;

    private CorpusMutator(String target, List<byte[]> seeds, long seed, int maxLength) {
        this.target = target;
        this.seeds = seeds;
        this.random = new Random(seed);
        this.maxLength = maxLength;
    }

    /**
     * Runs the configured number of mutations of the corpus through {@code target}.
     *
     * @param testClass     the fuzz test (its corpus is {@code <package>/<Class>Inputs/<method>/} in test resources)
     * @param method        the fuzz method whose corpus to mutate
     * @param maxLength     mutated inputs are cut to this many bytes
     * @return the number of executions
     */
    public static int run(Class<?> testClass, String method, int maxLength, Consumer<byte[]> target) {
        List<byte[]> seeds = corpus(testClass, method);
        int mutations = Integer.getInteger("aperture.fuzz.mutations", DEFAULT_MUTATIONS);
        long seed = Long.getLong("aperture.fuzz.seed", 20_251_128L);
        CorpusMutator mutator = new CorpusMutator(testClass.getSimpleName() + "." + method, seeds, seed, maxLength);
        long start = System.nanoTime();
        for (int i = 0; i < mutations; i++) {
            mutator.execute(mutator.mutate(seeds.get(mutator.random.nextInt(seeds.size()))), target);
        }
        System.out.printf("fuzz %s: %d mutations of %d seeds in %.1f s%n", mutator.target, mutations, seeds.size(),
                (System.nanoTime() - start) / 1e9);
        return mutations;
    }

    /** The corpus files of a fuzz method, read from the test classpath. */
    public static List<byte[]> corpus(Class<?> testClass, String method) {
        String dir = testClass.getSimpleName() + "Inputs/" + method;
        URL url = testClass.getResource(dir);
        if (url == null) {
            throw new IllegalStateException("no corpus " + dir + " next to " + testClass.getName());
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            List<byte[]> seeds = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(file));
            }
            if (seeds.isEmpty()) {
                throw new IllegalStateException("corpus " + dir + " is empty");
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(byte[] input, Consumer<byte[]> target) {
        try {
            target.accept(input);
        } catch (ApertureException expected) {
            // A typed refusal is the contract.
        } catch (Throwable finding) {
            Path saved = save(input);
            throw new AssertionError(this.target + " broke its contract on " + saved + ": " + finding, finding);
        }
    }

    private Path save(byte[] input) {
        try {
            Path dir = Path.of("target", "fuzz-findings", this.target);
            Files.createDirectories(dir);
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(input);
            Path file = dir.resolve("finding-" + HexFormat.of().formatHex(digest));
            Files.write(file, input);
            return file.toAbsolutePath();
        } catch (IOException | NoSuchAlgorithmException e) {
            return Path.of("(could not save: " + e + ")");
        }
    }

    /** One to four stacked mutations of a seed. */
    byte[] mutate(byte[] seed) {
        byte[] data = seed.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            data = mutateOnce(data);
        }
        return data.length > maxLength ? Arrays.copyOf(data, maxLength) : data;
    }

    private byte[] mutateOnce(byte[] data) {
        if (data.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(data.length);
        return switch (random.nextInt(9)) {
            case 0 -> { // flip a bit
                data[at] ^= (byte) (1 << random.nextInt(8));
                yield data;
            }
            case 1 -> { // a random byte
                data[at] = (byte) random.nextInt(256);
                yield data;
            }
            case 2 -> replace(data, at, 1 + random.nextInt(Math.min(16, data.length - at)),
                    INTERESTING_TOKENS[random.nextInt(INTERESTING_TOKENS.length)]);
            case 3 -> replaceNumber(data, at);
            case 4 -> { // a little-endian length field (safetensors' first 8 bytes, most often)
                int position = random.nextBoolean() ? 0 : Math.max(0, Math.min(at, data.length - 8));
                long value = INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)] + random.nextInt(3) - 1;
                for (int i = 0; i < 8 && position + i < data.length; i++) {
                    data[position + i] = (byte) (value >>> (8 * i));
                }
                yield data;
            }
            case 5 -> replace(data, at, random.nextInt(Math.min(64, data.length - at) + 1), new byte[0]);
            case 6 -> { // duplicate a chunk in place
                int length = 1 + random.nextInt(Math.min(64, data.length - at));
                yield replace(data, at, 0, Arrays.copyOfRange(data, at, at + length));
            }
            case 7 -> { // splice: this input's head, another seed's tail
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int from = other.length == 0 ? 0 : random.nextInt(other.length);
                yield replace(data, at, data.length - at, Arrays.copyOfRange(other, from, other.length));
            }
            default -> replace(data, data.length, 0, data.length > maxLength / 2 ? new byte[0] : data.clone());
        };
    }

    /** Replaces the run of ASCII digits at or after {@code at} with another number. */
    private byte[] replaceNumber(byte[] data, int at) {
        int start = at;
        while (start < data.length && (data[start] < '0' || data[start] > '9')) {
            start++;
        }
        if (start == data.length) {
            return data;
        }
        int end = start;
        while (end < data.length && data[end] >= '0' && data[end] <= '9') {
            end++;
        }
        long current = 0;
        for (int i = start; i < Math.min(end, start + 18); i++) {
            current = current * 10 + (data[i] - '0');
        }
        long replacement = switch (random.nextInt(4)) {
            case 0 -> current + random.nextInt(9) - 4;
            case 1 -> current * 2;
            case 2 -> INTERESTING_LONGS[random.nextInt(INTERESTING_LONGS.length)];
            default -> random.nextInt(1 << 16);
        };
        return replace(data, start, end - start, Long.toString(replacement).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] replace(byte[] data, int at, int removed, byte[] inserted) {
        byte[] out = new byte[data.length - removed + inserted.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(data, at + removed, out, at + inserted.length, data.length - at - removed);
        return out;
    }
}
