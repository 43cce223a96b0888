package dev.aperture.benchmarks;

import dev.aperture.core.safetensors.SafeTensors;
import dev.aperture.core.safetensors.SafeTensorsHeader;
import dev.aperture.core.safetensors.TensorToWrite;
import dev.aperture.core.tensor.DType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cost of opening a checkpoint: parsing and validating the JSON header of a file with 200 tensors (the size of a
 * ViT-B/32 CLIP's header), alone and together with mapping the file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SafeTensorsHeaderBenchmark {
    private static final int TENSORS = 200;

    private Path file;
    private byte[] headerJson;
    private long dataBytes;

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        file = Files.createTempFile("aperture-header-bench", ".safetensors");
        List<TensorToWrite> tensors = new ArrayList<>();
        for (int i = 0; i < TENSORS; i++) {
            String name = "vision_model.encoder.layers." + (i / 16) + ".tensor_" + i + ".weight";
            tensors.add(TensorToWrite.ofFloats(name, DType.F32, new long[] {4, 8}, new float[32]));
        }
        SafeTensors.write(file, tensors, Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);
        int headerLength = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        headerJson = Arrays.copyOfRange(bytes, 8, 8 + headerLength);
        dataBytes = bytes.length - 8L - headerLength;
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** JSON parse and full validation of the header bytes, no I/O. */
    @Benchmark
    public SafeTensorsHeader parseHeader() {
        return SafeTensorsHeader.parse("bench", headerJson, dataBytes);
    }

    /** What {@code SafeTensors.open} costs: read the header, validate it, map the file, build the views; then unmap. */
    @Benchmark
    public int openAndClose() {
        try (SafeTensors model = SafeTensors.open(file)) {
            return model.names().size();
        }
    }
}
