package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.ApertureException;
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
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, BMP, GIF).")
    List<Path> images;

    @Override
    public Integer call() {
        if (top != null && top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
        }
        if (templates != null && preset != null) {
            throw new ParameterException(spec.commandLine(), "Give --template or --templates, not both");
        }
        PrintWriter err = spec.commandLine().getErr();
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        int failures = 0;
        try (ImageTextModel model = modelArgs.loadImageTextModel()) {
            List<String> chosenTemplates = preset != null ? PromptTemplates.preset(preset)
                    : templates != null ? templates : model.defaultTemplates();
            ZeroShotClassifier classifier = new ZeroShotClassifier(model, chosenTemplates);
            // One image at a time, so one unreadable file is reported and the others still get their line.
            for (int i = 0; i < images.size(); i++) {
                Path image = images.get(i);
                try {
                    out.write(resultLine(out, image, classifier.classify(ImageInput.of(image), labels)));
                } catch (ApertureException e) {
                    err.println("error: " + e.getMessage());
                    failures++;
                }
                if (images.size() > 1) {
                    err.printf("images: %d/%d%n", i + 1, images.size());
                    err.flush();
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private ObjectNode resultLine(JsonLines out, Path image, List<Label> ranked) {
        ObjectNode line = out.newObject();
        line.put("image", image.toString());
        return ResultJson.putImageLabels(line, ranked, top);
    }
}
