package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageInput;
import dev.aperture.models.clip.ClipModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code aperture embed}: L2-normalized embeddings of texts and images, one JSON line per input, in order. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Print the L2-normalized projected embedding of each --text and --image, in the order given, "
                + "as JSON Lines: {\"text\": ...} or {\"image\": ...} plus \"embedding\": [...].")
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    /** The inputs in command-line order (picocli calls the setters below as it meets the options). */
    private final List<Object> inputs = new ArrayList<>();

    @Option(names = "--text", paramLabel = "TEXT", description = "A text to embed (repeatable).")
    void addText(String text) {
        inputs.add(text);
    }

    @Option(names = "--image", paramLabel = "FILE", description = "An image file to embed (repeatable).")
    void addImage(Path image) {
        inputs.add(image);
    }

    @Override
    public Integer call() {
        if (inputs.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Nothing to embed: give at least one --text or --image");
        }
        List<String> texts = new ArrayList<>();
        List<ImageInput> images = new ArrayList<>();
        for (Object input : inputs) {
            if (input instanceof String text) {
                texts.add(text);
            } else {
                images.add(ImageInput.of((Path) input));
            }
        }
        try (ClipModel model = modelArgs.loadClip()) {
            var err = spec.commandLine().getErr();
            float[][] textEmbeddings = model.embedTexts(texts, new StderrProgress(err, "texts"));
            float[][] imageEmbeddings = model.embedImages(images, new StderrProgress(err, "images"));
            JsonLines out = new JsonLines(spec.commandLine().getOut());
            int nextText = 0;
            int nextImage = 0;
            for (Object input : inputs) {
                ObjectNode line = out.newObject();
                float[] embedding;
                if (input instanceof String text) {
                    line.put("text", text);
                    embedding = textEmbeddings[nextText++];
                } else {
                    line.put("image", input.toString());
                    embedding = imageEmbeddings[nextImage++];
                }
                ArrayNode values = line.putArray("embedding");
                for (float v : embedding) {
                    values.add(v);
                }
                out.write(line);
            }
        }
        return 0;
    }
}
