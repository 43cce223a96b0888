package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.models.ModelTypes;
import dev.aperture.models.siglip.SiglipModel;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.tokenizer.bpe.ClipTokenizer;
import dev.aperture.models.tokenizer.sentencepiece.SiglipTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code aperture tokenize}: token ids of texts, unpadded, with the special tokens the tokenizer adds (BOS, EOS). */
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
        Function<String, int[]> tokenizer = tokenizer();
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        for (String text : texts) {
            ObjectNode line = out.newObject();
            line.put("text", text);
            ArrayNode ids = line.putArray("ids");
            for (int id : tokenizer.apply(text)) {
                ids.add(id);
            }
            out.write(line);
        }
        return 0;
    }

    /** The tokenizer of the model's family: SigLIP's (config.json model_type "siglip"), else CLIP's. */
    private Function<String, int[]> tokenizer() {
        HubOptions hub = location.hub.hubOptions();
        if (ModelTypes.of(location.model, hub).equals(SiglipModel.MODEL_TYPE)) {
            return SiglipTokenizer.load(location.resolve(ModelFiles.siglip()).folder())::encode;
        }
        return ClipTokenizer.load(location.resolve().folder())::encode;
    }
}
