package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.ApertureException;
import dev.aperture.core.InputException;
import dev.aperture.models.ImageInput;
import dev.aperture.models.ImageTextModel;
import dev.aperture.models.zeroshot.Label;
import dev.aperture.models.zeroshot.PromptTemplates;
import dev.aperture.models.zeroshot.ZeroShotClassifier;
import dev.aperture.server.ResultJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code aperture classify}: zero-shot classification of images against labels, one JSON line per image. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Rank --labels for each IMAGE by zero-shot score (CLIP or SigLIP, as the model's config says), "
                + "printing JSON Lines: {\"image\": ..., \"scoring\": \"softmax\"|\"sigmoid\", \"labels\": "
                + "[{\"label\": ..., \"score\": ..., \"logit\": ...}, ...]}. CLIP's scores are a softmax over the "
                + "labels; SigLIP's are each label's own sigmoid.")
final class ClassifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--labels", required = true, split = ",", paramLabel = "A,B,C",
            description = "Candidate labels, comma-separated.")
    List<String> labels;

    @Option(names = "--template", paramLabel = "T",
            description = "Prompt template with {} for the label (repeatable; several are ensembled). "
                    + "Default: the family's, \"a photo of a {}.\" (CLIP) or \"This is a photo of {}.\" (SigLIP); "
                    + "\"{}\" uses the labels verbatim.")
    List<String> templates;

    @Option(names = "--templates", paramLabel = "PRESET",
            description = "A preset of templates from the CLIP paper: imagenet80 or imagenet7.")
    String preset;

    @Option(names = "--top", paramLabel = "K", description = "Print only the K best labels per image.")
    Integer top;

    @Parameters(arity = "0..*", paramLabel = "IMAGE",
            description = "Image files (JPEG, PNG, WebP, BMP, GIF, TIFF), or folders: every image under them, "
                    + "recursively, sorted by path, hidden files skipped.")
    List<Path> imageArgs = new ArrayList<>();

    @Option(names = "--input", paramLabel = "FILE|-",
            description = "A file (- for standard input) with one image path per line, or JSON Lines with an "
                    + "\"image\" field (repeatable; classified after the IMAGE arguments).")
    List<String> inputFiles = new ArrayList<>();

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        if (top != null && top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
        }
        if (templates != null && preset != null) {
            throw new ParameterException(spec.commandLine(), "Give --template or --templates, not both");
        }
        List<Path> images = collectImages();
        PrintWriter err = spec.commandLine().getErr();
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        int failures = 0;
        try (ImageTextModel model = modelArgs.loadImageTextModel()) {
            List<String> chosenTemplates = preset != null ? PromptTemplates.preset(preset)
                    : templates != null ? templates : model.defaultTemplates();
            ZeroShotClassifier classifier = new ZeroShotClassifier(model, chosenTemplates);
            // A batch at a time keeps the image tower's batches full; a batch with an unreadable file is redone
            // one image at a time, so that file is reported and the others still get their line.
            int batch = Math.max(1, modelArgs.batchSize);
            for (int start = 0; start < images.size(); start += batch) {
                List<Path> round = images.subList(start, Math.min(images.size(), start + batch));
                failures += classifyRound(classifier, round, out, err);
                if (images.size() > 1) {
                    err.printf("images: %d/%d%n", start + round.size(), images.size());
                    err.flush();
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** Classifies and prints one batch of images; returns how many could not be classified. */
    private int classifyRound(ZeroShotClassifier classifier, List<Path> round, JsonLines out, PrintWriter err) {
        List<List<Label>> ranked;
        try {
            ranked = classifier.classify(round.stream().map(ImageInput::of).toList(), labels);
        } catch (ApertureException batchFailed) {
            int failures = 0;
            for (Path image : round) {
                try {
                    out.write(resultLine(out, image, classifier.classify(ImageInput.of(image), labels)));
                } catch (ApertureException e) {
                    err.println("error: " + e.getMessage());
                    failures++;
                }
            }
            return failures;
        }
        for (int i = 0; i < round.size(); i++) {
            out.write(resultLine(out, round.get(i), ranked.get(i)));
        }
        return 0;
    }

    /** The IMAGE arguments (folders expanded), then the images the --input files list. */
    private List<Path> collectImages() {
        List<Path> images = new ArrayList<>();
        for (Path image : imageArgs) {
            images.addAll(ImageFolder.expand(image));
        }
        for (String inputFile : inputFiles) {
            for (InputRecord record : InputFile.read(inputFile, main.stdin, InputFile.PlainLines.IMAGE)) {
                if (record.isText()) {
                    throw new InputException(inputFile + ": classify takes images; got the text \""
                            + record.text() + "\" (a JSON line needs an \"image\" field)");
                }
                images.add(record.image());
            }
        }
        if (images.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Nothing to classify: give IMAGE files or folders, "
                    + "or --input");
        }
        return images;
    }

    private ObjectNode resultLine(JsonLines out, Path image, List<Label> ranked) {
        ObjectNode line = out.newObject();
        line.put("image", image.toString());
        return ResultJson.putImageLabels(line, ranked, top);
    }
}
