package dev.aperture.cli;

import dev.aperture.core.checkpoint.Checkpoints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code aperture inspect}: lists the tensors of a checkpoint (name, dtype, shape, size), its metadata and totals. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the tensors of a checkpoint: a .safetensors file, a PyTorch .bin checkpoint (read "
                + "without running its pickle), a sharded checkpoint's index.json, or a model folder.")
final class InspectCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT",
            description = "model.safetensors, pytorch_model.bin, either one's .index.json, or a folder holding one")
    Path checkpoint;

    @Option(names = "--json", description = "Print machine-readable JSON instead of a table.")
    boolean json;

    /** One row of the listing. */
    private record Row(String name, String dtype, long[] shape, long elements, long bytes) {
    }

    @Override
    public Integer call() throws Exception {
        try (TensorSource source = Checkpoints.open(checkpoint)) {
            List<Row> rows = new ArrayList<>();
            for (String name : source.names()) {
                TensorView view = source.tensor(name);
                rows.add(new Row(name, view.dtype().name(), view.shape(), view.elementCount(), view.byteSize()));
            }
            List<String> files = source.files().stream().map(Path::toString).toList();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                printJson(out, files, source.metadata(), rows);
            } else {
                printTable(out, files, source.metadata(), rows);
            }
            out.flush();
        }
        return 0;
    }

    private void printTable(PrintWriter out, List<String> files, Map<String, String> metadata, List<Row> rows) {
        out.println("Checkpoint: " + checkpoint + (files.size() > 1 ? " (" + files.size() + " shards)" : ""));
        out.println("Metadata:   " + (metadata.isEmpty() ? "(none)" : metadata.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
        out.println();
        int nameWidth = Math.max("NAME".length(), rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        int shapeWidth = Math.max("SHAPE".length(), rows.stream().mapToInt(r -> shapeText(r.shape()).length()).max().orElse(0));
        int dtypeWidth = Math.max("DTYPE".length(), rows.stream().mapToInt(r -> r.dtype().length()).max().orElse(0));
        String format = "%-" + nameWidth + "s  %-" + dtypeWidth + "s  %-" + shapeWidth + "s  %10s%n";
        out.printf(Locale.ROOT, format, "NAME", "DTYPE", "SHAPE", "SIZE");
        for (Row row : rows) {
            out.printf(Locale.ROOT, format, row.name(), row.dtype(), shapeText(row.shape()), humanBytes(row.bytes()));
        }
        long parameters = rows.stream().mapToLong(Row::elements).sum();
        long bytes = rows.stream().mapToLong(Row::bytes).sum();
        out.println();
        out.printf(Locale.US, "%,d tensors, %,d parameters, %s%n", rows.size(), parameters, humanBytes(bytes));
    }

    private void printJson(PrintWriter out, List<String> files, Map<String, String> metadata, List<Row> rows)
            throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("checkpoint", checkpoint.toString());
        files.forEach(root.putArray("files")::add);
        ObjectNode meta = root.putObject("metadata");
        metadata.forEach(meta::put);
        root.put("tensorCount", rows.size());
        root.put("parameterCount", rows.stream().mapToLong(Row::elements).sum());
        root.put("totalBytes", rows.stream().mapToLong(Row::bytes).sum());
        ArrayNode tensors = root.putArray("tensors");
        for (Row row : rows) {
            ObjectNode tensor = tensors.addObject();
            tensor.put("name", row.name());
            tensor.put("dtype", row.dtype());
            ArrayNode shape = tensor.putArray("shape");
            Arrays.stream(row.shape()).forEach(shape::add);
            tensor.put("elements", row.elements());
            tensor.put("bytes", row.bytes());
        }
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static String shapeText(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Bytes in binary units with one decimal, e.g. {@code 9.5 MiB}; exact below 1 KiB. */
    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
