package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.tokenizer.bpe.ClipTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code aperture tokenize}: token ids of texts, unpadded, with BOS and EOS. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the token ids of each text as JSON Lines: {\"text\": ..., \"ids\": [...]}.")
final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelLocation location;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "A text to tokenize (repeatable).")
    List<String> texts;

    @Override
    public Integer call() {
        ClipTokenizer tokenizer = ClipTokenizer.load(location.resolve().folder());
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        for (String text : texts) {
            ObjectNode line = out.newObject();
            line.put("text", text);
            ArrayNode ids = line.putArray("ids");
            for (int id : tokenizer.encode(text)) {
                ids.add(id);
            }
            out.write(line);
        }
        return 0;
    }
}
