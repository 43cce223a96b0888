package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageTextModel;
import dev.aperture.search.FailedImage;
import dev.aperture.search.ImageFiles;
import dev.aperture.search.ImageIndex;
import dev.aperture.search.UpdateSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code aperture index}: brings an image index up to date with the images under some folders. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Embed the images under each DIR (recursively; hidden files and non-images skipped) into an "
                + "image index for `aperture search`. Only new and changed files are embedded; entries of deleted "
                + "files are removed. Corrupt images are reported on stderr and skipped. Prints one JSON line: "
                + "{\"added\", \"updated\", \"removed\", \"unchanged\", \"failed\"}; exit code 1 when some failed.")
final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    @Mixin
    IndexLocation indexLocation;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Folders (or image files) to index.")
    List<Path> roots;

    @Option(names = "--follow-links", description = "Walk into symbolic links to folders (each real folder once).")
    boolean followLinks;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files = ImageFiles.find(roots, followLinks);
        UpdateSummary summary;
        try (ImageTextModel model = modelArgs.loadImageTextModel();
             ImageIndex index = ImageIndex.open(indexLocation.folder(), model,
                     IndexLocation.modelId(modelArgs.location.model), modelArgs.batchSize)) {
            summary = index.update(files, true, new StderrProgress(err, "images"));
        }
        for (FailedImage failure : summary.failed()) {
            err.println("skipped " + failure.path() + ": " + failure.reason());
        }
        err.flush();
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        ObjectNode line = out.newObject();
        line.put("added", summary.added());
        line.put("updated", summary.updated());
        line.put("removed", summary.removed());
        line.put("unchanged", summary.unchanged());
        line.put("failed", summary.failed().size());
        out.write(line);
        return summary.failed().isEmpty() ? 0 : 1;
    }
}
