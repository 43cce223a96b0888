package dev.aperture.cli;

import dev.aperture.models.source.ConversionPullRequest;
import dev.aperture.models.source.DownloadListener;
import dev.aperture.models.source.HubRef;

import java.io.PrintStream;

/**
 * The progress listener (a bar only on a terminal), plus one line on stderr when the weights come from a hub
 * conversion pull request. That line is printed whether or not stderr is a terminal: it says which files the
 * results come from, which a log should record too.
 */
record WeightsOrigin(DownloadListener progress, PrintStream err) implements DownloadListener {
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
