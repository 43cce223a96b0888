package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.InputException;
import dev.aperture.models.convert.CheckpointConverter;
import dev.aperture.models.convert.ConversionListener;
import dev.aperture.models.convert.ConversionResult;
import dev.aperture.models.convert.ConvertOptions;
import dev.aperture.models.convert.ShardSize;
import dev.aperture.models.convert.TargetDType;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code aperture convert}: writes a model's weights as verified safetensors (optionally cast and sharded) with its
 * config and tokenizer files, and prints one JSON line saying what was written.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a model's weights (pytorch_model.bin, sharded .bin or safetensors) into a safetensors"
                + " model folder that transformers and Aperture load, verified tensor by tensor against the source.")
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A model folder, or a Hugging Face hub id (ORG/NAME[@REV]).")
    String source;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "The folder to write (created if needed; must be empty unless --force).")
    Path out;

    @Option(names = "--dtype", defaultValue = "keep", paramLabel = "keep|f32|f16|bf16", converter = DTypeConverter.class,
            description = "Store floating-point tensors as this type, rounding to nearest even (default: ${DEFAULT-VALUE});"
                    + " integer and boolean tensors are always kept.")
    TargetDType dtype;

    @Option(names = "--max-shard-size", defaultValue = "5GB", paramLabel = "SIZE", converter = ShardSizeConverter.class,
            description = "Largest weight file, as transformers writes it: 5GB, 500MB, 5GiB or bytes (default: ${DEFAULT-VALUE})."
                    + " A checkpoint that fits is one model.safetensors.")
    long maxShardBytes;

    @Option(names = "--force", description = "Write into a folder that holds files, replacing its model files.")
    boolean force;

    @Mixin
    HubAccess hub;

    @Override
    public Integer call() {
        ConversionListener listener = hub.quiet ? ConversionListener.NONE : new ConvertProgress(spec.commandLine().getErr());
        ConvertOptions options = ConvertOptions.defaults().withHub(hub.hubOptions()).withDtype(dtype)
                .withMaxShardBytes(maxShardBytes).withOverwrite(force).withListener(listener);
        ConversionResult result = CheckpointConverter.convert(source, out, options);
        JsonLines lines = new JsonLines(spec.commandLine().getOut());
        ObjectNode line = lines.newObject();
        line.put("out", result.folder().toString());
        result.weightFiles().forEach(line.putArray("files")::add);
        result.copiedFiles().forEach(line.putArray("copied")::add);
        line.put("tensors", result.tensorCount());
        line.put("bytes", result.tensorBytes());
        line.put("dtype", result.dtype().cliName());
        line.put("source", result.source().toString());
        lines.write(line);
        return 0;
    }

    /** Reads --dtype; a bad name is bad usage (exit 2), like any unparsable option. */
    static final class DTypeConverter implements ITypeConverter<TargetDType> {
        @Override
        public TargetDType convert(String value) {
            try {
                return TargetDType.parse(value);
            } catch (InputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads --max-shard-size the way transformers reads max_shard_size. */
    static final class ShardSizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ShardSize.parse(value);
            } catch (InputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
