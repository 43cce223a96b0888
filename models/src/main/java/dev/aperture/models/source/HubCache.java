package dev.aperture.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.ApertureException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * One model's folder in the huggingface_hub cache, laid out exactly as Python writes it so that both share it:
 * <pre>
 * &lt;cache&gt;/models--org--name/
 *     blobs/&lt;etag&gt;                      file contents, named by ETag (sha256 for LFS files, git sha1 otherwise)
 *     blobs/&lt;etag&gt;.incomplete           a download in progress (kept to resume)
 *     refs/&lt;revision&gt;                   the commit hash the revision (branch, tag) pointed to; a pull request's
 *                                     revision refs/pr/66 is the file refs/refs/pr/66
 *     snapshots/&lt;commit&gt;/&lt;file&gt;        relative symlink to ../../blobs/&lt;etag&gt; (a copy where links fail)
 *     .no_exist/&lt;commit&gt;/&lt;file&gt;        empty marker: the file does not exist at that commit
 *     .aperture/conversion-prs/&lt;commit&gt;  Aperture's own: which safetensors conversion pull request (number and
 *                                     head commit) serves that commit, or that none does
 * &lt;cache&gt;/.locks/models--org--name/&lt;etag&gt;.lock   held while a blob is downloaded
 * </pre>
 * The conversion record exists because huggingface_hub keeps no link from a commit to the pull request that
 * converted it, so without one offline mode could not find those weights again. It lies outside {@code refs/},
 * {@code snapshots/} and {@code blobs/}, the only folders huggingface_hub's {@code scan_cache_dir} reads (and
 * {@code refs/} must hold only ref files), so Python sees a cache it could have written itself.
 */
final class HubCache {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path cacheDir;
    private final Path repoFolder;

    HubCache(Path cacheDir, HubRef ref) {
        this.cacheDir = cacheDir;
        this.repoFolder = cacheDir.resolve(ref.cacheFolderName());
    }

    Path repoFolder() {
        return repoFolder;
    }

    Path blob(String etag) {
        return repoFolder.resolve("blobs").resolve(etag);
    }

    Path incompleteBlob(String etag) {
        return repoFolder.resolve("blobs").resolve(etag + ".incomplete");
    }

    Path lockFile(String etag) {
        return cacheDir.resolve(".locks").resolve(repoFolder.getFileName().toString()).resolve(etag + ".lock");
    }

    Path snapshot(String commit) {
        return repoFolder.resolve("snapshots").resolve(commit);
    }

    Path refFile(String revision) {
        return RepoPaths.resolve(repoFolder.resolve("refs"), revision);
    }

    /** The commit a revision resolves to in the cache: itself for a commit hash, else refs/&lt;revision&gt;. */
    Optional<String> commitFor(HubRef ref) {
        if (ref.revisionIsCommit()) {
            return Optional.of(ref.revision());
        }
        Path refFile = refFile(ref.revision());
        if (!Files.isRegularFile(refFile)) {
            return Optional.empty();
        }
        String commit = read(refFile).trim();
        return HubRef.isCommitHash(commit) ? Optional.of(commit) : Optional.empty();
    }

    /** Records which commit a branch or tag points to (nothing for a commit hash, as huggingface_hub does). */
    void writeRef(HubRef ref, String commit) {
        if (ref.revisionIsCommit()) {
            return;
        }
        Path refFile = refFile(ref.revision());
        if (commitFor(ref).filter(commit::equals).isPresent()) {
            return;
        }
        writeAtomically(refFile, commit.getBytes(StandardCharsets.UTF_8));
    }

    /** Aperture's record of the conversion pull request lookup for {@code commit} (see the layout above). */
    Path conversionRecord(String commit) {
        return repoFolder.resolve(".aperture").resolve("conversion-prs").resolve(commit);
    }

    /**
     * Records what the hub said about {@code commit}'s conversion pull request: which one serves it, or that none
     * does. A commit never changes, so neither does the answer worth keeping; delete the record to ask again.
     */
    void recordConversionPullRequest(String commit, Optional<ConversionPullRequest> found) {
        ObjectNode record = JSON.createObjectNode();
        if (found.isPresent()) {
            record.put("pull_request", found.get().number());
            record.put("commit", found.get().commit());
            record.put("author", ConversionPullRequest.AUTHOR);
        } else {
            record.putNull("pull_request");
        }
        writeAtomically(conversionRecord(commit), (record.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a lookup for {@code commit} was recorded (an unreadable record counts as none: we ask again). */
    boolean hasConversionRecord(String commit) {
        return readConversionRecord(commit).isPresent();
    }

    /** The conversion pull request recorded for {@code commit}; empty when none was found or none recorded. */
    Optional<ConversionPullRequest> recordedConversionPullRequest(String commit) {
        return readConversionRecord(commit).flatMap(record -> record.path("pull_request").canConvertToInt()
                ? Optional.of(new ConversionPullRequest(record.get("pull_request").asInt(),
                        record.get("commit").asText()))
                : Optional.empty());
    }

    /** The record when it is well formed: no pull request, or a positive number with a commit hash. */
    private Optional<JsonNode> readConversionRecord(String commit) {
        Path file = conversionRecord(commit);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode record = JSON.readTree(file.toFile());
            JsonNode number = record.path("pull_request");
            boolean none = number.isNull();
            boolean valid = number.canConvertToInt() && number.isIntegralNumber() && number.asInt() > 0
                    && HubRef.isCommitHash(record.path("commit").asText(null));
            return none || valid ? Optional.of(record) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The snapshot entry for a file if it exists and its target is readable (a dangling link counts as absent). */
    Optional<Path> cachedFile(String commit, String fileName) {
        Path entry = RepoPaths.resolve(snapshot(commit), fileName);
        return Files.isRegularFile(entry) ? Optional.of(entry) : Optional.empty();
    }

    /**
     * Points snapshots/&lt;commit&gt;/&lt;file&gt; at the blob with a relative symlink, replacing any older entry
     * atomically; copies the blob where the file system refuses symlinks (Windows without developer mode).
     */
    Path linkSnapshot(String commit, String fileName, String etag) {
        Path entry = RepoPaths.resolve(snapshot(commit), fileName);
        Path blob = blob(etag);
        Path temporary = entry.resolveSibling(entry.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(entry.getParent());
            try {
                Files.createSymbolicLink(temporary, entry.getParent().relativize(blob));
            } catch (UnsupportedOperationException | FileSystemException noLinks) {
                Files.copy(blob, temporary, StandardCopyOption.REPLACE_EXISTING);
            }
            move(temporary, entry);
            return entry;
        } catch (IOException e) {
            throw new ApertureException("cannot create cache entry " + entry + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** Leaves the empty .no_exist/&lt;commit&gt;/&lt;file&gt; marker huggingface_hub writes for a file the hub lacks. */
    void markMissing(String commit, String fileName) {
        Path marker = RepoPaths.resolve(repoFolder.resolve(".no_exist").resolve(commit), fileName);
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        } catch (IOException e) {
            // Only an optimisation for Python's next lookup; failing to write it changes nothing for us.
        }
    }

    /** Whether huggingface_hub (or we) recorded that the hub has no such file at that commit. */
    boolean isMarkedMissing(String commit, String fileName) {
        return Files.exists(RepoPaths.resolve(repoFolder.resolve(".no_exist").resolve(commit), fileName));
    }

    /** Writes through a temporary file and a rename, so readers never see a half-written file. */
    static void writeAtomically(Path target, byte[] content) {
        Path temporary = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.write(temporary, content);
            move(temporary, target);
        } catch (IOException e) {
            throw new ApertureException("cannot write cache file " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** Renames atomically where the file system can, replacing the target. */
    static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // A leftover temporary file is harmless; the next run replaces or ignores it.
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ApertureException("cannot read cache file " + file + ": " + e.getMessage(), e);
        }
    }
}
