package dev.aperture.backend.gpu;

import dev.aperture.core.BackendException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernels of one context, each {@code .cl} family built once and each kernel object created once.
 * Callers hold the context's lock: kernel objects carry their arguments and are not thread-safe.
 */
final class ClPrograms implements AutoCloseable {
    private static final int CL_PROGRAM_BUILD_LOG = 0x1183;
    /** Precise math on purpose: the kernels are checked against double-precision references. */
    private static final String BUILD_OPTIONS = "";

    private final ClApi api;
    private final MemorySegment context;
    private final MemorySegment device;
    private final Map<String, MemorySegment> programs = new HashMap<>();
    private final Map<String, MemorySegment> kernels = new HashMap<>();

    ClPrograms(ClApi api, MemorySegment context, MemorySegment device) {
        this.api = api;
        this.context = context;
        this.device = device;
    }

    /** Kernel {@code kernelName} of the family in resource {@code family + ".cl"}, built on first use. */
    MemorySegment kernel(String family, String kernelName) {
        String key = family + "/" + kernelName;
        MemorySegment kernel = kernels.get(key);
        if (kernel == null) {
            MemorySegment program = programs.get(family);
            if (program == null) {
                program = build(family, readResource(family + ".cl"));
                programs.put(family, program);
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment error = ClApi.allocateErrorCode(arena);
                kernel = ClApi.checkCreated("clCreateKernel(" + kernelName + ")",
                        api.createKernel(program, kernelName, error), error);
            }
            kernels.put(key, kernel);
        }
        return kernel;
    }

    /**
     * Compiles {@code source} for this context's device.
     *
     * @throws OpenClException naming {@code name}, with the compiler's log when the build fails
     */
    MemorySegment build(String name, String source) {
        MemorySegment program;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment error = ClApi.allocateErrorCode(arena);
            program = ClApi.checkCreated("clCreateProgramWithSource(" + name + ")",
                    api.createProgramWithSource(context, source, error), error);
        }
        int status = api.buildProgram(program, device, BUILD_OPTIONS);
        if (status != ClStatus.CL_SUCCESS) {
            String log;
            try {
                log = ClDevices.queryString("clGetProgramBuildInfo(" + name + ")", (size, value, sizeRet) ->
                        api.getProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, value, sizeRet));
            } catch (OpenClException e) {
                log = "(no build log: " + e.getMessage() + ")";
            }
            api.releaseProgram(program);
            throw new OpenClException("clBuildProgram(" + name + ")", status, "Build log:\n" + log);
        }
        return program;
    }

    private static String readResource(String resource) {
        try (InputStream in = ClPrograms.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BackendException("OpenCL kernel source " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackendException("Cannot read OpenCL kernel source " + resource, e);
        }
    }

    /** Releases every kernel, then every program; reports the first failure after trying all. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        kernels.forEach((name, kernel) -> record(failures, "clReleaseKernel(" + name + ")", api.releaseKernel(kernel)));
        programs.forEach((name, program) ->
                record(failures, "clReleaseProgram(" + name + ")", api.releaseProgram(program)));
        kernels.clear();
        programs.clear();
        if (!failures.isEmpty()) {
            throw new BackendException("Releasing OpenCL programs failed: " + failures);
        }
    }

    private static void record(List<String> failures, String call, int status) {
        if (status != ClStatus.CL_SUCCESS) {
            failures.add(call + ": " + ClStatus.name(status));
        }
    }
}
