package dev.aperture.models.transformer;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An {@link ActivationTap} that copies the activations of the given names to the host and ignores the others. */
public final class ActivationRecorder implements ActivationTap {
    private final Backend backend;
    private final Set<String> wanted;
    private final Map<String, float[]> recorded = new HashMap<>();

    public ActivationRecorder(Backend backend, List<String> wanted) {
        this.backend = backend;
        this.wanted = Set.copyOf(wanted);
    }

    @Override
    public void tap(String name, Matrix activation) {
        if (wanted.contains(name)) {
            recorded.put(name, backend.download(activation));
        }
    }

    /** The recorded values of {@code name}, row-major. */
    public float[] get(String name) {
        float[] values = recorded.get(name);
        if (values == null) {
            throw new IllegalStateException("No activation named '" + name + "' was recorded");
        }
        return values;
    }

    /** The recorded values of each of {@code names}, in that order. */
    public List<float[]> get(List<String> names) {
        return names.stream().map(this::get).toList();
    }
}
