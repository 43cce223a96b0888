package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.InputException;
import dev.aperture.models.bert.TextEmbedder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code aperture embed-text}: sentence embeddings of texts, one JSON line {@code {"text", "embedding"}} each. */
@Command(name = "embed-text", mixinStandardHelpOptions = true,
        description = "Embed texts with a BERT sentence-embedding model (all-MiniLM-L6-v2 by default). "
                + "Prints one JSON line {\"text\": ..., \"embedding\": [...]} per text, in input order.")
final class EmbedTextCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TextModelArgs modelArgs;

    @Option(names = "--text", paramLabel = "TEXT", description = "A text to embed (repeatable).")
    List<String> textOptions = new ArrayList<>();

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "More texts to embed.")
    List<String> textArguments = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> texts = new ArrayList<>(textOptions);
        texts.addAll(textArguments);
        if (texts.isEmpty()) {
            throw new InputException("No text to embed: give --text TEXT or TEXT arguments");
        }
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (TextEmbedder embedder = modelArgs.load(spec.commandLine().getErr())) {
            float[][] embeddings = embedder.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                ObjectNode line = out.newObject();
                line.put("text", texts.get(i));
                ArrayNode values = line.putArray("embedding");
                for (float v : embeddings[i]) {
                    values.add(v);
                }
                out.write(line);
            }
        }
        return 0;
    }
}
