package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.InputException;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.search.Hit;
import dev.aperture.search.ImageIndex;
import dev.aperture.search.SearchMethod;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code aperture search}: the indexed images closest to a text or an image. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search an image index built by `aperture index` (with the same --model) for the images "
                + "closest to a TEXT or an --image. Prints JSON Lines {\"path\", \"score\"} best first; the score is "
                + "the cosine similarity.")
final class SearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    @Mixin
    IndexLocation indexLocation;

    /** The query: exactly one of a text or an image. */
    static final class Query {
        @Parameters(arity = "1", paramLabel = "TEXT", description = "Text to search for.")
        String text;

        @Option(names = "--image", required = true, paramLabel = "FILE", description = "Search for images like this one.")
        Path image;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Query query;

    @Option(names = "--top", defaultValue = "10", paramLabel = "K", description = "Results (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--exact", description = "Compare with every stored embedding instead of the HNSW graph.")
    boolean exact;

    @Override
    public Integer call() {
        Path folder = indexLocation.folder();
        if (!Files.isDirectory(folder)) {
            throw new InputException("No image index at " + folder + ": build one with `aperture index DIR...`");
        }
        SearchMethod method = exact ? SearchMethod.EXACT : SearchMethod.HNSW;
        List<Hit> hits;
        try (ImageTextModel model = modelArgs.loadImageTextModel();
             ImageIndex index = ImageIndex.open(folder, model,
                     IndexLocation.modelId(modelArgs.location.model))) {
            hits = query.text != null ? index.searchText(query.text, top, method)
                    : index.searchImage(ImageInput.of(query.image), top, method);
        }
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        for (Hit hit : hits) {
            ObjectNode line = out.newObject();
            line.put("path", hit.path().toString());
            line.put("score", hit.score());
            out.write(line);
        }
        return 0;
    }
}
