package dev.aperture.backend.gpu;

import dev.aperture.core.backend.OperandChecks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A context and one in-order command queue on one device, with its compiled kernels.
 *
 * <p>Every queue operation runs under one lock: kernel objects hold their arguments between
 * {@code clSetKernelArg} and the enqueue, so two threads must not interleave there. Kernels are enqueued
 * without waiting; host transfers are blocking, so a host array is never freed while a copy is in flight and a
 * read sees every kernel queued before it (the queue is in order).
 */
final class ClContext implements AutoCloseable {
    private static final long CL_MEM_READ_WRITE = 1;
    private static final int CL_KERNEL_WORK_GROUP_SIZE = 0x11B0;

    private final ClApi api;
    private final ClDevices.Handle device;
    private final MemorySegment context;
    private final MemorySegment queue;
    private final ClPrograms programs;
    private final Map<String, Long> workGroupSizes = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}: after close, every call fails in Java instead of reaching freed driver objects. */
    private boolean closed;

    ClContext(ClApi api, ClDevices.Handle device) {
        this.api = api;
        this.device = device;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment error = ClApi.allocateErrorCode(arena);
            context = ClApi.checkCreated("clCreateContext", api.createContext(device.device(), error), error);
            MemorySegment createdQueue;
            try {
                createdQueue = ClApi.checkCreated("clCreateCommandQueue",
                        api.createCommandQueue(context, device.device(), error), error);
            } catch (OpenClException e) {
                api.releaseContext(context);
                throw e;
            }
            queue = createdQueue;
        }
        programs = new ClPrograms(api, context, device.device());
    }

    ClApi api() {
        return api;
    }

    OpenClDevice device() {
        return device.info();
    }

    /** A new read-write device buffer of {@code bytes} (at least one float, since OpenCL rejects empty buffers). */
    ClBuffer createBuffer(long bytes) {
        long size = Math.max(bytes, JAVA_FLOAT.byteSize());
        lockOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment error = ClApi.allocateErrorCode(arena);
            MemorySegment handle = ClApi.checkCreated("clCreateBuffer(" + size + " bytes)",
                    api.createBuffer(context, CL_MEM_READ_WRITE, size, error), error);
            return new ClBuffer(api, handle, size);
        } finally {
            lock.unlock();
        }
    }

    /** Copies {@code values} into the start of {@code buffer}; returns when the host copy may be dropped. */
    void write(ClBuffer buffer, float[] values) {
        try (Arena arena = Arena.ofConfined()) {
            write(buffer, arena.allocateFrom(JAVA_FLOAT, values));
        }
    }

    void write(ClBuffer buffer, int[] values) {
        try (Arena arena = Arena.ofConfined()) {
            write(buffer, arena.allocateFrom(JAVA_INT, values));
        }
    }

    private void write(ClBuffer buffer, MemorySegment source) {
        if (source.byteSize() == 0) {
            return;
        }
        lockOpen();
        try {
            ClApi.check("clEnqueueWriteBuffer", api.writeBuffer(queue, buffer.handle(), 0, source.byteSize(), source));
        } finally {
            lock.unlock();
        }
    }

    /** The first {@code count} floats of {@code buffer}, after every kernel queued so far has run. */
    float[] readFloats(ClBuffer buffer, int count) {
        float[] values = new float[count];
        if (count == 0) {
            return values;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment target = arena.allocate(JAVA_FLOAT, count);
            lockOpen();
            try {
                ClApi.check("clEnqueueReadBuffer",
                        api.readBuffer(queue, buffer.handle(), 0, target.byteSize(), target));
            } finally {
                lock.unlock();
            }
            MemorySegment.copy(target, JAVA_FLOAT, 0, values, 0, count);
        }
        return values;
    }

    /**
     * Enqueues {@code launch} over {@code globalSize} work-items in groups of {@code localSize}
     * ({@code null}: the driver chooses). Returns without waiting for the kernel.
     */
    void launch(ClLaunch launch, long[] globalSize, long[] localSize) {
        for (long size : globalSize) {
            if (size == 0) {
                return;   // nothing to compute; OpenCL 1.2 rejects empty ranges
            }
        }
        lockOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment kernel = programs.kernel(launch.family, launch.kernelName);
            launch.setArgs(api, kernel, arena);
            MemorySegment local = localSize == null ? MemorySegment.NULL : ClLaunch.sizes(arena, localSize);
            ClApi.check("clEnqueueNDRangeKernel(" + launch.kernelName + ")", api.enqueueNdRangeKernel(queue, kernel,
                    globalSize.length, ClLaunch.sizes(arena, globalSize), local));
        } finally {
            lock.unlock();
        }
    }

    /** The most work-items one group of this kernel may have on this device ({@code CL_KERNEL_WORK_GROUP_SIZE}). */
    long maxWorkGroupSize(String family, String kernelName) {
        lockOpen();
        try (Arena arena = Arena.ofConfined()) {
            String key = family + "/" + kernelName;
            Long cached = workGroupSizes.get(key);
            if (cached != null) {
                return cached;
            }
            MemorySegment kernel = programs.kernel(family, kernelName);
            MemorySegment value = arena.allocate(JAVA_LONG);
            ClApi.check("clGetKernelWorkGroupInfo(" + kernelName + ")", api.getKernelWorkGroupInfo(kernel,
                    device.device(), CL_KERNEL_WORK_GROUP_SIZE, JAVA_LONG.byteSize(), value, MemorySegment.NULL));
            long size = value.get(JAVA_LONG, 0);
            workGroupSizes.put(key, size);
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Compiles arbitrary source (tests use this to see build failures reported). */
    void buildForTest(String name, String source) {
        lockOpen();
        try {
            ClApi.check("clReleaseProgram(" + name + ")", api.releaseProgram(programs.build(name, source)));
        } finally {
            lock.unlock();
        }
    }

    /** Waits for every queued command. */
    void finish() {
        lockOpen();
        try {
            ClApi.check("clFinish", api.finish(queue));
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lock, or throws (without holding it) when the context is closed. */
    private void lockOpen() {
        lock.lock();
        if (closed) {
            lock.unlock();
            // Reached only by a call that raced with the backend's close(): the same fault as a call after it.
            throw OperandChecks.closedBackend("OpenCL backend on " + device.info().name());
        }
    }

    /** Waits for the queue, then releases kernels, programs, the queue and the context. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            ClApi.check("clFinish", api.finish(queue));
            programs.close();
            ClApi.check("clReleaseCommandQueue", api.releaseCommandQueue(queue));
            ClApi.check("clReleaseContext", api.releaseContext(context));
        } finally {
            lock.unlock();
        }
    }
}
