package dev.aperture.models.clip;

import dev.aperture.core.backend.Backend;
import dev.aperture.core.backend.Matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Copies hidden states to the host during a detailed forward pass (for tests and debugging); in a plain
 * forward pass it copies nothing, so encoding pays no transfers.
 */
final class HiddenStateRecorder implements Consumer<Matrix> {
    private final Backend backend;
    private final boolean recording;
    private final List<float[]> states = new ArrayList<>();

    HiddenStateRecorder(Backend backend, boolean recording) {
        this.backend = backend;
        this.recording = recording;
    }

    /** Records a copy of {@code hidden} (when recording). */
    @Override
    public void accept(Matrix hidden) {
        if (recording) {
            states.add(backend.download(hidden));
        }
    }

    /** Everything recorded, in order. */
    List<float[]> states() {
        return List.copyOf(states);
    }

    /** A copy of {@code matrix} when recording, else an empty array. */
    float[] copyIfRecording(Matrix matrix) {
        return recording ? backend.download(matrix) : new float[0];
    }
}
