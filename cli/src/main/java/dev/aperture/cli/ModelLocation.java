package dev.aperture.cli;

import dev.aperture.models.source.ConversionPullRequest;
import dev.aperture.models.source.DownloadListener;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.HubRef;
import dev.aperture.models.source.ModelSource;
import dev.aperture.models.source.ResolvedModel;
import picocli.CommandLine.Option;

import java.io.PrintStream;

/** Which model a command uses: a folder or a hub id, and whether the network may be used to fetch it. */
final class ModelLocation {
    @Option(names = "--model", defaultValue = ModelSource.DEFAULT_MODEL, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "A model folder, or a Hugging Face hub id (downloaded once into the hub cache; "
                    + "default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--offline", description = "Use only the hub cache, never the network (also HF_HUB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--quiet", description = "No download progress bars, and no note on where the weights came from.")
    boolean quiet;

    /** Where the model's files are, downloading them first when --model is a hub id. */
    ResolvedModel resolve() {
        return ModelSource.resolve(model, hubOptions());
    }

    private HubOptions hubOptions() {
        HubOptions options = HubOptions.fromEnvironment();
        options = options.withOffline(options.offline() || offline);  // HF_HUB_OFFLINE=1 holds without --offline
        return quiet ? options.quiet() : options.withListener(new WeightsOrigin(options.listener(), System.err));
    }

    /**
     * The progress listener (a bar only on a terminal), and one line on stderr when the weights come from a
     * conversion pull request. That line is printed whether or not stderr is a terminal: it says which files the
     * results come from, which a log should record too.
     */
    private record WeightsOrigin(DownloadListener progress, PrintStream err) implements DownloadListener {
        @Override
        public void started(String fileName, long totalBytes, long resumedAt) {
            progress.started(fileName, totalBytes, resumedAt);
        }

        @Override
        public void progressed(String fileName, long bytesDone) {
            progress.progressed(fileName, bytesDone);
        }

        @Override
        public void finished(String fileName) {
            progress.finished(fileName);
        }

        @Override
        public void failed(String fileName) {
            progress.failed(fileName);
        }

        @Override
        public void weightsFromConversionPullRequest(HubRef model, ConversionPullRequest pullRequest) {
            err.println("aperture: " + model.repoId() + " has no safetensors on " + model.revision()
                    + "; using the weights of its safetensors conversion pull request " + pullRequest.revision()
                    + " (commit " + pullRequest.commit() + ", by " + ConversionPullRequest.AUTHOR + ")");
        }
    }
}
