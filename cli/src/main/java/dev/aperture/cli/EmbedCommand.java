package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.ModelTypes;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.source.HubOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code aperture embed}: L2-normalized embeddings of texts and images, one JSON line per input, in order. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Print the L2-normalized embedding of each --text and --image, in the order given, as JSON "
                + "Lines: {\"text\": ...} or {\"image\": ...} plus \"embedding\": [...]. A CLIP --model embeds both; "
                + "a BERT sentence-embedding model (a folder, a hub id, or an .onnx file with --tokenizer) embeds texts.")
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    /** One input: exactly one of --text or --image; the group repeats, keeping command-line order. */
    static final class Input {
        @Option(names = "--text", required = true, paramLabel = "TEXT", description = "A text to embed (repeatable).")
        String text;

        @Option(names = "--image", required = true, paramLabel = "FILE", description = "An image file to embed (repeatable).")
        Path image;
    }

    @ArgGroup(exclusive = true, multiplicity = "1..*")
    List<Input> inputs = new ArrayList<>();

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json for a BERT .onnx --model (default: tokenizer.json beside it).")
    Path tokenizer;

    @Override
    public Integer call() {
        List<String> texts = new ArrayList<>();
        List<ImageInput> images = new ArrayList<>();
        for (Input input : inputs) {
            if (input.text != null) {
                texts.add(input.text);
            } else {
                images.add(ImageInput.of(input.image));
            }
        }
        float[][] textEmbeddings;
        float[][] imageEmbeddings;
        var err = spec.commandLine().getErr();
        String model = modelArgs.location.model;
        HubOptions hub = modelArgs.location.hub.hubOptions();
        if (ModelTypes.isSentenceEmbedder(model, hub)) {
            if (!images.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--image needs a CLIP or SigLIP model; "
                        + model + " is a text-only (BERT) model");
            }
            try (TextEmbedder embedder = Files.exists(Path.of(model))
                    ? TextEmbedder.load(Path.of(model), tokenizer, modelArgs.options())
                    : TextEmbedder.load(model, modelArgs.options(), hub)) {
                textEmbeddings = embedder.embed(texts);
                imageEmbeddings = new float[0][];
            }
        } else {
            try (ImageTextModel imageText = modelArgs.loadImageTextModel()) {
                textEmbeddings = imageText.embedTexts(texts, new StderrProgress(err, "texts"));
                imageEmbeddings = imageText.embedImages(images, new StderrProgress(err, "images"));
            }
        }
        writeLines(textEmbeddings, imageEmbeddings);
        return 0;
    }

    /** One line per input, in command-line order. */
    private void writeLines(float[][] textEmbeddings, float[][] imageEmbeddings) {
        {
            JsonLines out = new JsonLines(spec.commandLine().getOut());
            int nextText = 0;
            int nextImage = 0;
            for (Input input : inputs) {
                ObjectNode line = out.newObject();
                float[] embedding;
                if (input.text != null) {
                    line.put("text", input.text);
                    embedding = textEmbeddings[nextText++];
                } else {
                    line.put("image", input.image.toString());
                    embedding = imageEmbeddings[nextImage++];
                }
                ArrayNode values = line.putArray("embedding");
                for (float v : embedding) {
                    values.add(v);
                }
                out.write(line);
            }
        }
    }
}
