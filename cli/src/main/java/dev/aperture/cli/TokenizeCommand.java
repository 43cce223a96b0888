package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.InputException;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.ModelTypes;
import dev.aperture.models.bert.TextEmbedder;
import dev.aperture.models.siglip.SiglipModel;
import dev.aperture.models.source.HubOptions;
import dev.aperture.models.source.ModelFiles;
import dev.aperture.models.tokenizer.bpe.ClipTokenizer;
import dev.aperture.models.tokenizer.sentencepiece.SiglipTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code aperture tokenize}: token ids of texts, unpadded, with the special tokens the tokenizer adds (BOS/EOS, or
 * BERT's [CLS]/[SEP]), truncated where {@code embed} truncates: the ids {@code embed} feeds the model.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the token ids of each text as JSON Lines: {\"text\": ..., \"ids\": [...]}. Takes every "
                + "--model embed takes: CLIP, SigLIP, or a BERT folder, hub id or .onnx file (with --tokenizer).")
final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Mixin
    ModelLocation location;

    /** One input: a --text or an --input file; the group repeats, keeping command-line order. */
    static final class Input {
        @Option(names = "--text", required = true, paramLabel = "TEXT", description = "A text to tokenize (repeatable).")
        String text;

        @Option(names = "--input", required = true, paramLabel = "FILE|-",
                description = "A file (- for standard input) with one text per line, or JSON Lines with a \"text\" "
                        + "field (repeatable).")
        String inputFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1..*")
    List<Input> inputs = new ArrayList<>();

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json for a BERT .onnx --model (default: tokenizer.json beside it).")
    Path tokenizerJson;

    /** Encodes one text; closed after the last (a BERT tokenizer comes with the model that bounds its length). */
    private interface Tokenizer extends AutoCloseable {
        int[] encode(String text);

        @Override
        default void close() {
        }
    }

    @Override
    public Integer call() {
        List<String> texts = collectTexts();
        JsonLines out = new JsonLines(spec.commandLine().getOut());
        try (Tokenizer tokenizer = tokenizer()) {
            for (String text : texts) {
                ObjectNode line = out.newObject();
                line.put("text", text);
                ArrayNode ids = line.putArray("ids");
                for (int id : tokenizer.encode(text)) {
                    ids.add(id);
                }
                out.write(line);
            }
        }
        return 0;
    }

    private List<String> collectTexts() {
        List<String> texts = new ArrayList<>();
        for (Input input : inputs) {
            if (input.text != null) {
                texts.add(input.text);
                continue;
            }
            for (InputRecord record : InputFile.read(input.inputFile, main.stdin, InputFile.PlainLines.TEXT)) {
                if (!record.isText()) {
                    throw new InputException(input.inputFile + ": tokenize takes texts; got the image "
                            + record.image());
                }
                texts.add(record.text());
            }
        }
        if (texts.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Nothing to tokenize: the inputs given hold no text");
        }
        return texts;
    }

    /**
     * The tokenizer of the model's family: BERT's WordPiece for a sentence-embedding model (taken from the loaded
     * model, so it truncates exactly as embedding does: sentence_bert_config.json's max_seq_length, the model's
     * positions), SigLIP's (config.json model_type "siglip"), else CLIP's.
     */
    private Tokenizer tokenizer() {
        HubOptions hub = location.hub.hubOptions();
        if (ModelTypes.isSentenceEmbedder(location.model, hub)) {
            TextEmbedder embedder = location.loadTextEmbedder(tokenizerJson, ModelOptions.defaults().withThreads(1));
            return new Tokenizer() {
                @Override
                public int[] encode(String text) {
                    return embedder.tokenizer().encode(text);
                }

                @Override
                public void close() {
                    embedder.close();
                }
            };
        }
        if (tokenizerJson != null) {
            throw new ParameterException(spec.commandLine(), "--tokenizer is for a BERT .onnx --model; "
                    + location.model + " brings its own tokenizer");
        }
        if (ModelTypes.of(location.model, hub).equals(SiglipModel.MODEL_TYPE)) {
            return SiglipTokenizer.load(location.resolve(ModelFiles.siglip()).folder())::encode;
        }
        return ClipTokenizer.load(location.resolve().folder())::encode;
    }
}
