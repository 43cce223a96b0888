package dev.aperture.cli;

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
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code aperture embed}: L2-normalized embeddings of texts and images, one JSON line (or .npy row) per input. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Print the L2-normalized embedding of each --text, --image and --input line, in the order "
                + "given, as JSON Lines: {\"text\": ...} or {\"image\": ...} plus \"embedding\": [...]; or, with "
                + "--format npy, write them as the rows of a float32 .npy file. A CLIP or SigLIP --model embeds "
                + "both; a BERT sentence-embedding model (a folder, a hub id, or an .onnx file with --tokenizer) "
                + "embeds texts.")
final class EmbedCommand implements Callable<Integer> {
    /**
     * Inputs embedded, and their results written, per round: bounds the memory of a million-line --input (their
     * embeddings never sit in memory together) while keeping the model's batches full.
     */
    static final int INPUTS_PER_ROUND = 1024;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    ModelArgs modelArgs;

    /** One input: exactly one of --text, --image or --input; the group repeats, keeping command-line order. */
    static final class Input {
        @Option(names = "--text", required = true, paramLabel = "TEXT", description = "A text to embed (repeatable).")
        String text;

        @Option(names = "--image", required = true, paramLabel = "FILE|DIR",
                description = "An image file to embed, or a folder: every image under it, recursively, sorted by "
                        + "path, hidden files skipped (repeatable).")
        Path image;

        @Option(names = "--input", required = true, paramLabel = "FILE|-",
                description = "A file (- for standard input) with one text per line, or JSON Lines with a \"text\" "
                        + "or an \"image\" field (repeatable).")
        String inputFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1..*")
    List<Input> inputs = new ArrayList<>();

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json for a BERT .onnx --model (default: tokenizer.json beside it).")
    Path tokenizer;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write to FILE instead of standard output. With --format npy: the embeddings go to FILE "
                    + "(.npy) and the inputs, one JSON line per row, to FILE with .jsonl for .npy.")
    Path output;

    /** The output formats of {@code --format}. */
    enum Format { jsonl, npy }

    @Option(names = "--format", paramLabel = "jsonl|npy",
            description = "jsonl (default; npy when --output ends in .npy) or npy: a float32 array of shape "
                    + "(inputs, dimension), rows in input order, with a JSON Lines file of the inputs beside it.")
    Format format;

    @Override
    public Integer call() {
        List<InputRecord> records = collectInputs();
        Format chosen = format != null ? format
                : output != null && output.toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? Format.npy
                : Format.jsonl;
        if (chosen == Format.npy && output == null) {
            throw new ParameterException(spec.commandLine(), "--format npy needs --output FILE.npy");
        }
        PrintWriter err = spec.commandLine().getErr();
        String model = modelArgs.location.model;
        HubOptions hub = modelArgs.location.hub.hubOptions();
        if (ModelTypes.isSentenceEmbedder(model, hub)) {
            if (records.stream().anyMatch(record -> !record.isText())) {
                throw new ParameterException(spec.commandLine(), "--image needs a CLIP or SigLIP model; "
                        + model + " is a text-only (BERT) model");
            }
            try (TextEmbedder embedder = modelArgs.location.loadTextEmbedder(tokenizer, modelArgs.options());
                 EmbeddingSink sink = openSink(chosen)) {
                embedInRounds(records, sink, err, new Embedders(embedder::embed, images -> new float[0][]));
            }
        } else {
            try (ImageTextModel imageText = modelArgs.loadImageTextModel();
                 EmbeddingSink sink = openSink(chosen)) {
                embedInRounds(records, sink, err, new Embedders(
                        texts -> imageText.embedTexts(texts, new StderrProgress(err, "texts")),
                        images -> imageText.embedImages(images, new StderrProgress(err, "images"))));
            }
        }
        return 0;
    }

    /** The model's two towers as functions; a text-only model has no image tower to call. */
    private record Embedders(Function<List<String>, float[][]> texts,
                             Function<List<ImageInput>, float[][]> images) {
    }

    /** The inputs in command-line order, --input files and --image folders expanded. */
    private List<InputRecord> collectInputs() {
        List<InputRecord> records = new ArrayList<>();
        for (Input input : inputs) {
            if (input.text != null) {
                records.add(InputRecord.ofText(input.text));
            } else if (input.image != null) {
                ImageFolder.expand(input.image).forEach(image -> records.add(InputRecord.ofImage(image)));
            } else {
                records.addAll(InputFile.read(input.inputFile, main.stdin, InputFile.PlainLines.TEXT));
            }
        }
        if (records.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Nothing to embed: the inputs given hold no text "
                    + "or image");
        }
        return records;
    }

    private EmbeddingSink openSink(Format chosen) {
        if (chosen == Format.jsonl) {
            return EmbeddingSink.jsonLines(output == null ? new JsonLines(spec.commandLine().getOut())
                    : JsonLines.toFile(output));
        }
        return EmbeddingSink.npy(output, JsonLines.toFile(inputsFileBeside(output)));
    }

    /** {@code vectors.npy} -> {@code vectors.jsonl}; any other name gets {@code .jsonl} appended. */
    static Path inputsFileBeside(Path npyFile) {
        String name = npyFile.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return npyFile.resolveSibling(base + ".jsonl");
    }

    /** Embeds {@link #INPUTS_PER_ROUND} inputs at a time and writes them in input order. */
    private static void embedInRounds(List<InputRecord> records, EmbeddingSink sink, PrintWriter err,
                                      Embedders embedders) {
        for (int start = 0; start < records.size(); start += INPUTS_PER_ROUND) {
            List<InputRecord> round = records.subList(start, Math.min(records.size(), start + INPUTS_PER_ROUND));
            List<String> texts = new ArrayList<>();
            List<ImageInput> images = new ArrayList<>();
            for (InputRecord record : round) {
                if (record.isText()) {
                    texts.add(record.text());
                } else {
                    images.add(ImageInput.of(record.image()));
                }
            }
            float[][] textEmbeddings = texts.isEmpty() ? new float[0][] : embedders.texts().apply(texts);
            float[][] imageEmbeddings = images.isEmpty() ? new float[0][] : embedders.images().apply(images);
            int nextText = 0;
            int nextImage = 0;
            for (InputRecord record : round) {
                sink.write(record, record.isText() ? textEmbeddings[nextText++] : imageEmbeddings[nextImage++]);
            }
            if (records.size() > INPUTS_PER_ROUND) {
                err.printf("embedded: %d/%d%n", start + round.size(), records.size());
                err.flush();
            }
        }
    }
}
