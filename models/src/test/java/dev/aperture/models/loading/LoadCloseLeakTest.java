package dev.aperture.models.loading;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.models.ModelOptions;
import dev.aperture.models.TestData;
import dev.aperture.models.clip.ClipModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading and closing a model 200 times in one JVM leaks neither mapped memory nor file descriptors, as the JVM's
 * own counters see them: the "mapped" buffer pools (count and bytes) and the process's open descriptors.
 */
@Tag("slow")
class LoadCloseLeakTest {
    private static final int CYCLES = 200;
    /** Descriptors the JVM itself may open meanwhile (class loading, jar files, /proc reads), not per cycle. */
    private static final long DESCRIPTOR_SLACK = 8;

    private static long mappedCount() {
        return mappedPools().stream().mapToLong(BufferPoolMXBean::getCount).sum();
    }

    private static long mappedBytes() {
        return mappedPools().stream().mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    /** "mapped" and "mapped - 'non-volatile memory'": every file mapping the JDK counts. */
    private static List<BufferPoolMXBean> mappedPools() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().startsWith("mapped")).toList();
    }

    private static long openDescriptors() {
        return assertInstanceOf(UnixOperatingSystemMXBean.class, ManagementFactory.getOperatingSystemMXBean())
                .getOpenFileDescriptorCount();
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void twoHundredLoadsAndClosesLeakNoMappingAndNoDescriptor() {
        ModelOptions options = ModelOptions.defaults().withThreads(2);
        // One cycle first, so class loading and lazily opened JDK files are not counted as leaks.
        ClipModel.load(TestData.clipTiny(), options).close();
        long mappedCountBefore = mappedCount();
        long mappedBytesBefore = mappedBytes();
        long descriptorsBefore = openDescriptors();
        try (SafeTensors weights = SafeTensors.open(TestData.clipTiny().resolve("model.safetensors"))) {
            assertEquals(mappedCountBefore + 1, mappedCount(), "the counter sees a safetensors mapping");
            assertEquals(mappedBytesBefore + weights.file().toFile().length(), mappedBytes());
        }
        float[] firstEmbedding = null;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            try (ClipModel model = ClipModel.load(TestData.clipTiny(), options)) {
                float[] embedding = model.embedText("a photo of a cat");
                if (firstEmbedding == null) {
                    firstEmbedding = embedding;
                }
                assertEquals(firstEmbedding.length, embedding.length);
            }
        }
        assertEquals(mappedCountBefore, mappedCount(), "mapped buffers after " + CYCLES + " load/close cycles");
        assertEquals(mappedBytesBefore, mappedBytes(), "mapped bytes after " + CYCLES + " load/close cycles");
        long descriptorsAfter = openDescriptors();
        System.out.printf("after %d cycles: mapped %d -> %d buffers, %d -> %d bytes; descriptors %d -> %d%n",
                CYCLES, mappedCountBefore, mappedCount(), mappedBytesBefore, mappedBytes(), descriptorsBefore,
                descriptorsAfter);
        assertTrue(descriptorsAfter <= descriptorsBefore + DESCRIPTOR_SLACK, "open file descriptors went from "
                + descriptorsBefore + " to " + descriptorsAfter + " over " + CYCLES + " cycles");
    }
}
