package dev.aperture.backend.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.NoSuchElementException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The OpenCL 1.2 entry points Aperture uses, bound by hand through {@link Linker#downcallHandle} on the ICD loader
 * ({@code libOpenCL.so.1}), which dispatches to whichever drivers are registered in {@code /etc/OpenCL/vendors}.
 *
 * <p>C types map as: {@code cl_int}/{@code cl_uint}/{@code cl_bool} → int, {@code size_t}/{@code cl_ulong}/bitfields
 * → long (64-bit platforms only), handles and pointers → {@link MemorySegment}. Every method here returns the raw
 * status; callers check it with {@link #check}, which turns a failure into an {@link OpenClException}.
 */
final class ClApi {
    /** Where the ICD loader lives on Linux, then on Windows and macOS. */
    static final List<String> DEFAULT_LIBRARIES = List.of("libOpenCL.so.1", "libOpenCL.so", "OpenCL.dll",
            "/System/Library/Frameworks/OpenCL.framework/OpenCL");

    private static final FunctionDescriptor INFO_QUERY =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
    private static final FunctionDescriptor RELEASE = FunctionDescriptor.of(JAVA_INT, ADDRESS);

    private final MethodHandle getPlatformIds;
    private final MethodHandle getPlatformInfo;
    private final MethodHandle getDeviceIds;
    private final MethodHandle getDeviceInfo;
    private final MethodHandle createContext;
    private final MethodHandle createCommandQueue;
    private final MethodHandle createBuffer;
    private final MethodHandle enqueueWriteBuffer;
    private final MethodHandle enqueueReadBuffer;
    private final MethodHandle createProgramWithSource;
    private final MethodHandle buildProgram;
    private final MethodHandle getProgramBuildInfo;
    private final MethodHandle createKernel;
    private final MethodHandle setKernelArg;
    private final MethodHandle getKernelWorkGroupInfo;
    private final MethodHandle enqueueNdRangeKernel;
    private final MethodHandle finish;
    private final MethodHandle releaseMemObject;
    private final MethodHandle releaseKernel;
    private final MethodHandle releaseProgram;
    private final MethodHandle releaseCommandQueue;
    private final MethodHandle releaseContext;

    /** Restricted methods (native calls) are this class's purpose; the JVM needs --enable-native-access. */
    @SuppressWarnings("restricted")
    private ClApi(SymbolLookup library) {
        Linker linker = Linker.nativeLinker();
        Binder bind = (name, descriptor) -> linker.downcallHandle(library.findOrThrow(name), descriptor);
        getPlatformIds = bind.handle("clGetPlatformIDs", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        getPlatformInfo = bind.handle("clGetPlatformInfo", INFO_QUERY);
        getDeviceIds = bind.handle("clGetDeviceIDs",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
        getDeviceInfo = bind.handle("clGetDeviceInfo", INFO_QUERY);
        createContext = bind.handle("clCreateContext",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        createCommandQueue = bind.handle("clCreateCommandQueue",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        createBuffer = bind.handle("clCreateBuffer",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));
        FunctionDescriptor transfer = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG,
                JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        enqueueWriteBuffer = bind.handle("clEnqueueWriteBuffer", transfer);
        enqueueReadBuffer = bind.handle("clEnqueueReadBuffer", transfer);
        createProgramWithSource = bind.handle("clCreateProgramWithSource",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        buildProgram = bind.handle("clBuildProgram",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        getProgramBuildInfo = bind.handle("clGetProgramBuildInfo",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
        createKernel = bind.handle("clCreateKernel", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        setKernelArg = bind.handle("clSetKernelArg",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS));
        getKernelWorkGroupInfo = bind.handle("clGetKernelWorkGroupInfo",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS));
        enqueueNdRangeKernel = bind.handle("clEnqueueNDRangeKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        finish = bind.handle("clFinish", RELEASE);
        releaseMemObject = bind.handle("clReleaseMemObject", RELEASE);
        releaseKernel = bind.handle("clReleaseKernel", RELEASE);
        releaseProgram = bind.handle("clReleaseProgram", RELEASE);
        releaseCommandQueue = bind.handle("clReleaseCommandQueue", RELEASE);
        releaseContext = bind.handle("clReleaseContext", RELEASE);
    }

    @FunctionalInterface
    private interface Binder {
        MethodHandle handle(String name, FunctionDescriptor descriptor);
    }

    /**
     * Loads the first of {@code libraryNames} that the system can open and binds every entry point.
     * The library stays loaded for the life of the JVM (global arena): drivers do not support being unloaded.
     *
     * @throws OpenClUnavailableException naming the libraries tried, or the missing entry point
     */
    @SuppressWarnings("restricted")
    static ClApi load(List<String> libraryNames) {
        if (ADDRESS.byteSize() != 8) {
            throw new OpenClUnavailableException("the OpenCL bindings assume a 64-bit platform (size_t = 8 bytes)");
        }
        for (String name : libraryNames) {
            SymbolLookup library;
            try {
                library = SymbolLookup.libraryLookup(name, Arena.global());
            } catch (IllegalArgumentException notFound) {
                continue;
            }
            try {
                return new ClApi(library);
            } catch (NoSuchElementException missing) {
                throw new OpenClUnavailableException("the OpenCL library " + name
                        + " lacks an OpenCL 1.2 entry point: " + missing.getMessage());
            }
        }
        throw new OpenClUnavailableException("no OpenCL library (ICD loader) found; tried " + libraryNames
                + " (on Debian/Ubuntu: apt-get install ocl-icd-libopencl1 and a driver such as pocl-opencl-icd)");
    }

    /** Throws {@link OpenClException} naming {@code call} unless {@code status} is {@code CL_SUCCESS}. */
    static void check(String call, int status) {
        if (status != ClStatus.CL_SUCCESS) {
            throw new OpenClException(call, status, null);
        }
    }

    /** Reads the {@code cl_int} error code an object-creating call wrote, and checks it. */
    static MemorySegment checkCreated(String call, MemorySegment handle, MemorySegment errorCode) {
        check(call, errorCode.get(JAVA_INT, 0));
        return handle;
    }

    static MemorySegment allocateErrorCode(Arena arena) {
        return arena.allocate(JAVA_INT);
    }

    int getPlatformIds(int numEntries, MemorySegment platforms, MemorySegment numPlatforms) {
        try {
            return (int) getPlatformIds.invokeExact(numEntries, platforms, numPlatforms);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int getPlatformInfo(MemorySegment platform, int param, long size, MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) getPlatformInfo.invokeExact(platform, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int getDeviceIds(MemorySegment platform, long deviceType, int numEntries, MemorySegment devices,
                     MemorySegment numDevices) {
        try {
            return (int) getDeviceIds.invokeExact(platform, deviceType, numEntries, devices, numDevices);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int getDeviceInfo(MemorySegment device, int param, long size, MemorySegment value, MemorySegment sizeRet) {
        try {
            return (int) getDeviceInfo.invokeExact(device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment createContext(MemorySegment device, MemorySegment errorCode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocateFrom(ADDRESS, device);
            return (MemorySegment) createContext.invokeExact(MemorySegment.NULL, 1, devices, MemorySegment.NULL,
                    MemorySegment.NULL, errorCode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment createCommandQueue(MemorySegment context, MemorySegment device, MemorySegment errorCode) {
        try {
            return (MemorySegment) createCommandQueue.invokeExact(context, device, 0L, errorCode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment createBuffer(MemorySegment context, long flags, long bytes, MemorySegment errorCode) {
        try {
            return (MemorySegment) createBuffer.invokeExact(context, flags, bytes, MemorySegment.NULL, errorCode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A blocking write: returns once {@code source} may be freed. */
    int writeBuffer(MemorySegment queue, MemorySegment buffer, long offset, long bytes, MemorySegment source) {
        try {
            return (int) enqueueWriteBuffer.invokeExact(queue, buffer, 1, offset, bytes, source, 0,
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A blocking read: returns once {@code target} holds the data (and every earlier command has finished). */
    int readBuffer(MemorySegment queue, MemorySegment buffer, long offset, long bytes, MemorySegment target) {
        try {
            return (int) enqueueReadBuffer.invokeExact(queue, buffer, 1, offset, bytes, target, 0,
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment createProgramWithSource(MemorySegment context, String source, MemorySegment errorCode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom(source);
            MemorySegment strings = arena.allocateFrom(ADDRESS, text);
            // Lengths NULL: the string is NUL-terminated.
            return (MemorySegment) createProgramWithSource.invokeExact(context, 1, strings, MemorySegment.NULL,
                    errorCode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int buildProgram(MemorySegment program, MemorySegment device, String options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocateFrom(ADDRESS, device);
            return (int) buildProgram.invokeExact(program, 1, devices, arena.allocateFrom(options),
                    MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int getProgramBuildInfo(MemorySegment program, MemorySegment device, int param, long size, MemorySegment value,
                            MemorySegment sizeRet) {
        try {
            return (int) getProgramBuildInfo.invokeExact(program, device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment createKernel(MemorySegment program, String name, MemorySegment errorCode) {
        try (Arena arena = Arena.ofConfined()) {
            return (MemorySegment) createKernel.invokeExact(program, arena.allocateFrom(name), errorCode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sets argument {@code index}; OpenCL copies {@code value} before returning, so it may be freed afterwards. */
    int setKernelArg(MemorySegment kernel, int index, long size, MemorySegment value) {
        try {
            return (int) setKernelArg.invokeExact(kernel, index, size, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int getKernelWorkGroupInfo(MemorySegment kernel, MemorySegment device, int param, long size, MemorySegment value,
                               MemorySegment sizeRet) {
        try {
            return (int) getKernelWorkGroupInfo.invokeExact(kernel, device, param, size, value, sizeRet);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Enqueues a kernel; {@code localSize} may be {@link MemorySegment#NULL} to let the driver choose. */
    int enqueueNdRangeKernel(MemorySegment queue, MemorySegment kernel, int dimensions, MemorySegment globalSize,
                             MemorySegment localSize) {
        try {
            return (int) enqueueNdRangeKernel.invokeExact(queue, kernel, dimensions, MemorySegment.NULL, globalSize,
                    localSize, 0, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int finish(MemorySegment queue) {
        return release(finish, queue);
    }

    int releaseMemObject(MemorySegment buffer) {
        return release(releaseMemObject, buffer);
    }

    int releaseKernel(MemorySegment kernel) {
        return release(releaseKernel, kernel);
    }

    int releaseProgram(MemorySegment program) {
        return release(releaseProgram, program);
    }

    int releaseCommandQueue(MemorySegment queue) {
        return release(releaseCommandQueue, queue);
    }

    int releaseContext(MemorySegment context) {
        return release(releaseContext, context);
    }

    private static int release(MethodHandle handle, MemorySegment object) {
        try {
            return (int) handle.invokeExact(object);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Downcalls throw only what the Java side throws (there are no checked exceptions across FFM). */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(t);
    }
}
