package dev.aperture.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aperture.backend.gpu.OpenCl;
import dev.aperture.backend.gpu.OpenClDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code aperture devices}: the OpenCL devices the {@code opencl} backend can use. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the OpenCL platforms' devices (name, vendor, compute units, memory, OpenCL C version, "
                + "extensions). Select one for --backend opencl with -Daperture.opencl.device=<index|gpu|cpu|name> "
                + "or APERTURE_OPENCL_DEVICE.")
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per device (JSON Lines).")
    boolean json;

    @Override
    public Integer call() {
        List<OpenClDevice> devices = OpenCl.listDevices();  // absent OpenCL: a BackendException, exit 1
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonLines lines = new JsonLines(out);
            for (OpenClDevice device : devices) {
                ObjectNode line = lines.newObject();
                line.put("index", device.index()).put("platform", device.platform()).put("name", device.name())
                        .put("vendor", device.vendor()).put("type", device.type().name())
                        .put("computeUnits", device.computeUnits()).put("globalMemoryBytes", device.globalMemoryBytes())
                        .put("localMemoryBytes", device.localMemoryBytes())
                        .put("maxWorkGroupSize", device.maxWorkGroupSize())
                        .put("openClCVersion", device.openClCVersion());
                device.extensions().forEach(line.putArray("extensions")::add);
                lines.write(line);
            }
            return 0;
        }
        if (devices.isEmpty()) {
            out.println("No OpenCL devices.");
        }
        for (OpenClDevice device : devices) {
            out.println(device.summary());
            out.println("    vendor: " + device.vendor() + "; max work-group size " + device.maxWorkGroupSize());
            out.println("    extensions: " + String.join(" ", device.extensions()));
        }
        return 0;
    }
}
