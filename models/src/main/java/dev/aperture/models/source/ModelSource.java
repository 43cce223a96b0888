package dev.aperture.models.source;

import dev.aperture.core.ApertureException;
import dev.aperture.core.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns what a user calls a model into a local folder holding its files and the weights to load. The reference is
 * either
 * <ul>
 *   <li>a local folder ({@code ./my-clip}, {@code /models/clip}, or any existing directory), used in place; or</li>
 *   <li>a Hugging Face hub id, {@code org/name} or {@code org/name@revision}, found in (or downloaded into) the
 *       huggingface_hub cache, whose layout both Python and Aperture read and write (see {@link HubCache}).</li>
 * </ul>
 * A hub model whose revision the cache already resolves to a complete snapshot (every wanted file present or
 * recorded in {@code .no_exist} as absent upstream) is used without any network access. Otherwise the revision
 * is resolved to a commit with HEAD requests and only the missing files of {@link HubOptions#files()} are
 * downloaded, verified and linked into {@code snapshots/<commit>}; if the hub is unreachable and the cached
 * snapshot lacks only optional files, the cached snapshot is used. Offline mode uses the cache alone.
 *
 * <p>The weights are the first present of safetensors, sharded safetensors, the hub's safetensors conversion pull
 * request, {@code pytorch_model.bin} and sharded {@code .bin} ({@link WeightsPreference}). Weights from a conversion
 * pull request lie in that pull request's own snapshot, which {@link ResolvedModel#weights()} then points into, and
 * the {@link DownloadListener} is told which pull request it was.
 */
public final class ModelSource {

    /** The model the CLI uses when none is named. */
    public static final String DEFAULT_MODEL = "openai/clip-vit-base-patch32";

    private ModelSource() {
    }

    /** {@link #resolve(String, HubOptions)} with {@link HubOptions#fromEnvironment()}. */
    public static ResolvedModel resolve(String modelRef) {
        return resolve(modelRef, HubOptions.fromEnvironment());
    }

    /**
     * Returns where the model's files are: the folder ({@code snapshots/<commit>} for a hub model) and its weights.
     *
     * @param modelRef a local folder, {@code org/name} or {@code org/name@revision}
     * @param options  endpoint, token, cache folder, offline flag, progress listener and wanted files
     * @throws InputException  if the reference is malformed or unsafe, a required file is missing, the model is
     *                         gated or private, or offline mode lacks files
     * @throws dev.aperture.core.FormatException if a download does not match its digest (nothing is cached then)
     * @throws ApertureException if the hub cannot be reached or answers with an unexpected error
     */
    public static ResolvedModel resolve(String modelRef, HubOptions options) {
        Optional<Path> folder = localFolder(modelRef);
        if (folder.isPresent()) {
            return checkedLocalFolder(folder.get(), options.files());
        }
        HubRef ref = HubRef.parse(modelRef);
        HubCache cache = new HubCache(options.cacheDir(), ref);
        Optional<String> cachedCommit = cache.commitFor(ref);
        Optional<SnapshotCheck> cached = cachedCommit.map(commit -> SnapshotCheck.of(cache, commit, ref,
                options.files()));
        boolean usable = cached.isPresent() && cached.get().files().missing().isEmpty();
        if (usable && (options.offline() || cached.get().complete())) {
            return resolved(ref, cache.snapshot(cachedCommit.get()), cached.get().files(), options.listener());
        }
        if (options.offline()) {
            throw offlineMiss(ref, cache, cachedCommit, cached);
        }
        try (HubClient client = new HubClient(options)) {
            return download(ref, cache, client, options);
        } catch (HubClient.UnreachableException e) {
            if (usable) {
                // Only optional files were unaccounted for (a cache Python filled for another use): what is
                // cached is enough, as huggingface_hub also falls back to its cache when the hub is unreachable.
                return resolved(ref, cache.snapshot(cachedCommit.get()), cached.get().files(), options.listener());
            }
            throw unreachable(ref, cache, options.files(), e);
        }
    }

    /** The model found in a snapshot; the listener hears once when its weights come from a conversion PR. */
    private static ResolvedModel resolved(HubRef ref, Path snapshot, ModelFiles.Collected files,
                                          DownloadListener listener) {
        files.weights().flatMap(WeightsPreference.Found::pullRequest)
                .ifPresent(pullRequest -> listener.weightsFromConversionPullRequest(ref, pullRequest));
        return new ResolvedModel(snapshot, files.weightsOr(snapshot));
    }

    /** A reference is a local folder when it is spelled like a path or names an existing directory. */
    private static Optional<Path> localFolder(String modelRef) {
        if (modelRef == null || modelRef.isBlank()) {
            throw new InputException("model reference is empty: give a local folder or a hub id like "
                    + DEFAULT_MODEL);
        }
        boolean spelledAsPath = modelRef.startsWith("/") || modelRef.startsWith("./") || modelRef.startsWith("../")
                || modelRef.startsWith("~") || modelRef.equals(".") || modelRef.equals("..")
                || modelRef.contains("\\") || modelRef.matches("[A-Za-z]:.*");
        Path path = Path.of(modelRef.startsWith("~/") ? System.getProperty("user.home") + modelRef.substring(1)
                : modelRef);
        if (Files.isDirectory(path)) {
            return Optional.of(path);
        }
        if (spelledAsPath) {
            throw new InputException("model folder " + path.toAbsolutePath().normalize()
                    + " does not exist (or is not a folder)");
        }
        return Optional.empty();
    }

    private static ResolvedModel checkedLocalFolder(Path folder, ModelFiles files) {
        FileFetcher local = fileName -> {
            Path file = RepoPaths.resolve(folder, fileName);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        };
        ModelFiles.Collected collected = files.collect(local, "model folder " + folder);
        if (!collected.missing().isEmpty()) {
            throw new InputException("model folder " + folder.toAbsolutePath() + " lacks: "
                    + String.join("; ", collected.missing()));
        }
        return new ResolvedModel(folder, collected.weightsOr(folder));
    }

    private static ResolvedModel download(HubRef ref, HubCache cache, HubClient client, HubOptions options) {
        HubFetcher hub = new HubFetcher(ref, cache, client, new BlobDownloader(client, cache, options.listener(),
                options.timeout()));
        ModelFiles.Collected collected = options.files().collect(hub, "hub model " + ref);
        List<String> missing = collected.missing();
        if (hub.commit() == null) {
            throw new InputException("hub model " + ref + " has none of the files it needs: "
                    + String.join("; ", missing));
        }
        if (!missing.isEmpty()) {
            throw new InputException("hub model " + ref.repoId() + " at revision " + ref.revision() + " (commit "
                    + hub.commit() + ") lacks required files: " + String.join("; ", missing)
                    + " (its files: " + client.endpoint() + "/" + ref.repoId() + "/tree/" + ref.revision() + ")");
        }
        // Refs last, as huggingface_hub does: a ref names a snapshot only once its files are all there.
        collected.weights().flatMap(WeightsPreference.Found::pullRequest).ifPresent(pullRequest ->
                cache.writeRef(new HubRef(ref.repoId(), pullRequest.revision()), pullRequest.commit()));
        cache.writeRef(ref, hub.commit());
        return resolved(ref, cache.snapshot(hub.commit()), collected, options.listener());
    }

    private static InputException offlineMiss(HubRef ref, HubCache cache, Optional<String> commit,
                                              Optional<SnapshotCheck> cached) {
        String prefix = "offline mode (HF_HUB_OFFLINE=1 or --offline): hub model " + ref + " is not complete in the"
                + " cache " + cache.repoFolder() + ": ";
        String detail = commit.isEmpty()
                ? (ref.revisionIsCommit() ? "no snapshot " + cache.snapshot(ref.revision())
                        : "no " + cache.refFile(ref.revision()) + " saying which commit '" + ref.revision() + "' is")
                        + ", so no file of it is cached"
                : "snapshot " + cache.snapshot(commit.get()) + " lacks "
                        + String.join("; ", cached.orElseThrow().files().missing());
        return new InputException(prefix + detail + ". Run once without offline mode to download it.");
    }

    private static ApertureException unreachable(HubRef ref, HubCache cache, ModelFiles files,
                                                 HubClient.UnreachableException cause) {
        String advice = completeSnapshots(cache, ref, files).stream().findFirst()
                .map(commit -> "The cache has a complete copy of " + ref.repoId() + " at commit " + commit + " ("
                        + cache.snapshot(commit) + "): use " + ref.repoId() + "@" + commit
                        + " with --offline (or HF_HUB_OFFLINE=1), or pass that folder as the model.")
                .orElse("The cache " + cache.repoFolder() + " has no complete copy of it: connect to the network "
                        + "(or set HF_ENDPOINT to a reachable mirror) and run again; use --offline only once it is cached.");
        return new ApertureException("cannot download hub model " + ref + ": " + cause.getMessage() + ". " + advice,
                cause);
    }

    private static List<String> completeSnapshots(HubCache cache, HubRef ref, ModelFiles files) {
        Path snapshots = cache.repoFolder().resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return List.of();
        }
        try (Stream<Path> commits = Files.list(snapshots)) {
            return commits.map(path -> path.getFileName().toString())
                    .filter(HubRef::isCommitHash)
                    .filter(commit -> SnapshotCheck.of(cache, commit, ref, files).files().missing().isEmpty())
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
