package dev.aperture.models.convert;

import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder a conversion writes into. Everything is first written into a hidden staging folder inside it (same file
 * system, so moving a finished file into place is a rename), and moved into the folder only once every tensor has been
 * verified: a failed or interrupted conversion never leaves weights or a config.json that look like a finished model.
 *
 * <p>A staging folder left by a killed conversion does not make the folder count as non-empty, and the next
 * conversion into it removes it. When overwriting, every model file the conversion does not write is removed first: a stale
 * {@code model.safetensors} beside new shards would be loaded in their place (loaders prefer it), and an old
 * {@code tokenizer.json} beside a new {@code vocab.json} would tokenize for the wrong model.
 */
final class OutputFolder {
    private static final String STAGING_PREFIX = ".aperture-convert-";
    private static final Pattern SHARD = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
    private static final List<String> WEIGHT_NAMES = List.of("model.safetensors", "model.safetensors.index.json");

    private final Path folder;
    private final Path staging;
    private final boolean created;

    private OutputFolder(Path folder, Path staging, boolean created) {
        this.folder = folder;
        this.staging = staging;
        this.created = created;
    }

    /**
     * Checks that {@code folder} may be written and creates its staging folder.
     *
     * @param sourceFolders the folders the model is read from, which must not be written into
     * @throws InputException when {@code folder} is a file, is one of the source folders, or holds files and
     *                        {@code overwrite} is false
     */
    static OutputFolder prepare(Path folder, List<Path> sourceFolders, boolean overwrite) {
        boolean exists = Files.exists(folder);
        if (exists) {
            checkWritable(folder, sourceFolders, overwrite);
        }
        try {
            Files.createDirectories(folder);
            return new OutputFolder(folder, Files.createTempDirectory(folder, STAGING_PREFIX), !exists);
        } catch (IOException e) {
            throw new InputException("Cannot create output folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void checkWritable(Path folder, List<Path> sourceFolders, boolean overwrite) {
        if (!Files.isDirectory(folder)) {
            throw new InputException("Output " + folder + " exists and is not a folder");
        }
        for (Path source : sourceFolders) {
            if (isSameFile(folder, source)) {
                throw new InputException("Output folder " + folder + " is the folder the model is read from;"
                        + " write the converted model into another folder");
            }
        }
        List<String> entries = entries(folder).stream().filter(name -> !name.startsWith(STAGING_PREFIX)).toList();
        if (!entries.isEmpty() && !overwrite) {
            throw new InputException("Output folder " + folder + " is not empty (it holds "
                    + String.join(", ", entries.subList(0, Math.min(5, entries.size())))
                    + (entries.size() > 5 ? ", ..." : "") + "); choose an empty or new folder, or overwrite"
                    + " (--force) to replace the model files in it");
        }
    }

    /** Where the conversion writes its files before {@link #commit}. */
    Path staging() {
        return staging;
    }

    /**
     * Moves the staged files ({@code names}, relative paths) into the folder, replacing files of the same name,
     * after removing the model files of an earlier conversion that this one does not write. config.json moves last,
     * so a folder that has one has all the rest.
     */
    void commit(List<String> names) {
        try {
            removeStaleModelFiles(new HashSet<>(names));
            List<String> ordered = new ArrayList<>(names);
            ordered.sort(Comparator.comparing(ModelFolderFiles.CONFIG::equals));
            for (String name : ordered) {
                Path target = folder.resolve(name);
                Files.createDirectories(target.getParent());
                Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new InputException("Cannot move the converted files from " + staging + " into " + folder + ": "
                    + e.getMessage(), e);
        }
        deleteStaging();
    }

    /** Removes what this conversion wrote: the staging folder, and the output folder itself if this run created it. */
    void abandon() {
        deleteStaging();
        if (created) {
            try {
                Files.deleteIfExists(folder);
            } catch (DirectoryNotEmptyException e) {
                // Someone else wrote into it meanwhile: their files are not ours to delete.
            } catch (IOException e) {
                // Best effort: the failure that made us abandon is the one to report.
            }
        }
    }

    private void removeStaleModelFiles(Set<String> written) throws IOException {
        // Staging folders of conversions that were killed before they could clean up: hidden, never loaded.
        for (String name : entries(folder)) {
            Path leftover = folder.resolve(name);
            if (name.startsWith(STAGING_PREFIX) && !leftover.equals(staging)) {
                deleteTree(leftover);
            }
        }
        List<String> candidates = new ArrayList<>(ModelFolderFiles.all());
        candidates.addAll(WEIGHT_NAMES);
        candidates.addAll(entries(folder).stream().filter(name -> SHARD.matcher(name).matches()).toList());
        for (String name : candidates) {
            if (!written.contains(name)) {
                Files.deleteIfExists(folder.resolve(name));
            }
        }
    }

    private void deleteStaging() {
        deleteTree(staging);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover hidden staging folder is harmless: nothing loads from it.
        }
    }

    private static List<String> entries(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new InputException("Cannot list output folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
