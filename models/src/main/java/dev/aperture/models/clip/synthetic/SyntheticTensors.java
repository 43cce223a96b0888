package dev.aperture.models.clip.synthetic;

import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * The synthetic weights of one CLIP architecture as a {@link TensorSource}: each F32 tensor is generated when it is
 * asked for and not kept, so loading a model holds at most one generated tensor besides the backend's own copy.
 */
final class SyntheticTensors implements TensorSource {
    private final Map<String, long[]> shapes;

    /** {@code shapes}: every tensor's name and Hugging Face shape, in checkpoint order. */
    SyntheticTensors(Map<String, long[]> shapes) {
        this.shapes = shapes;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(shapes.keySet());
    }


    @Override
    public TensorView tensor(String name) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new ModelMismatchException("No tensor '" + name + "' in the synthetic weights");
        }
        float[] values = SyntheticWeights.generate(name, Math.toIntExact(SyntheticClip.elementCount(shape)));
        return new TensorView(name, DType.F32, shape, MemorySegment.ofArray(values));
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {
        // Nothing is held: every tensor is generated on demand.
    }
}
