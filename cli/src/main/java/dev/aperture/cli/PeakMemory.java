package dev.aperture.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident set size: {@code VmHWM} ("high water mark") of {@code /proc/self/status}, which the
 * Linux kernel keeps for the whole life of the process. It counts everything resident: the Java heap, the weights
 * the backend holds, and the pages of memory-mapped weight files that were touched.
 */
final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakMemory() {
    }

    /** Peak resident bytes, or -1 where the kernel does not report it (not Linux). */
    static long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String kilobytes = line.substring("VmHWM:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kilobytes) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an unexpected format: the figure is simply unknown.
        }
        return -1;
    }
}
