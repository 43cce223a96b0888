package dev.aperture.backend.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One kernel launch: the kernel, its arguments in order and the work sizes. Built without touching OpenCL;
 * {@link ClContext#launch} sets the arguments and enqueues under the queue lock.
 */
final class ClLaunch {
    /** An argument as {@code clSetKernelArg} takes it: a size and the bytes (NULL for a {@code __local} array). */
    private sealed interface Arg {
        long size();

        MemorySegment value(Arena arena);
    }

    private record BufferArg(ClBuffer buffer) implements Arg {
        public long size() {
            return ADDRESS.byteSize();
        }

        public MemorySegment value(Arena arena) {
            return arena.allocateFrom(ADDRESS, buffer.handle());
        }
    }

    private record IntArg(int value) implements Arg {
        public long size() {
            return JAVA_INT.byteSize();
        }

        public MemorySegment value(Arena arena) {
            return arena.allocateFrom(JAVA_INT, value);
        }
    }

    private record FloatArg(float value) implements Arg {
        public long size() {
            return JAVA_FLOAT.byteSize();
        }

        public MemorySegment value(Arena arena) {
            return arena.allocateFrom(JAVA_FLOAT, value);
        }
    }

    private record LocalArg(long size) implements Arg {
        public MemorySegment value(Arena arena) {
            return MemorySegment.NULL;
        }
    }

    final String family;
    final String kernelName;
    private final List<Arg> args = new ArrayList<>();

    ClLaunch(String family, String kernelName) {
        this.family = family;
        this.kernelName = kernelName;
    }

    ClLaunch buffer(ClBuffer buffer) {
        args.add(new BufferArg(buffer));
        return this;
    }

    ClLaunch intArg(int value) {
        args.add(new IntArg(value));
        return this;
    }

    ClLaunch floatArg(float value) {
        args.add(new FloatArg(value));
        return this;
    }

    /** A {@code __local float[count]} argument. */
    ClLaunch localFloats(long count) {
        args.add(new LocalArg(count * JAVA_FLOAT.byteSize()));
        return this;
    }

    /** Sets every argument on {@code kernel}; the arena only needs to live until this returns (OpenCL copies). */
    void setArgs(ClApi api, MemorySegment kernel, Arena arena) {
        for (int i = 0; i < args.size(); i++) {
            Arg arg = args.get(i);
            ClApi.check("clSetKernelArg(" + kernelName + ", " + i + ")",
                    api.setKernelArg(kernel, i, arg.size(), arg.value(arena)));
        }
    }

    static MemorySegment sizes(Arena arena, long... sizes) {
        return arena.allocateFrom(JAVA_LONG, sizes);
    }
}
