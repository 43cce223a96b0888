package dev.aperture.models;

import dev.aperture.core.ModelMismatchException;
import dev.aperture.core.tensor.DType;
import dev.aperture.core.tensor.TensorSource;
import dev.aperture.core.tensor.TensorView;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A {@link TensorSource} over float arrays in memory (F32 views of heap segments), for tests. */
public final class InMemoryTensors implements TensorSource {
    private final Map<String, TensorView> tensors = new LinkedHashMap<>();

    public InMemoryTensors put(String name, float[] values, long... shape) {
        tensors.put(name, new TensorView(name, DType.F32, shape, MemorySegment.ofArray(values)));
        return this;
    }

    public InMemoryTensors put(TensorView view) {
        tensors.put(view.name(), view);
        return this;
    }

    public InMemoryTensors remove(String name) {
        tensors.remove(name);
        return this;
    }

    /** A copy holding every tensor of {@code source} as it is. */
    public static InMemoryTensors copyOf(TensorSource source) {
        InMemoryTensors copy = new InMemoryTensors();
        for (String name : source.names()) {
            copy.put(source.tensor(name));
        }
        return copy;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }


    @Override
    public TensorView tensor(String name) {
        TensorView view = tensors.get(name);
        if (view == null) {
            throw new ModelMismatchException("No tensor '" + name + "' in memory");
        }
        return view;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {
        tensors.clear();
    }
}
