package dev.aperture.models.loading;

import dev.aperture.core.backend.Backend;
import dev.aperture.models.Backends;
import dev.aperture.models.ModelOptions;

import java.util.function.Function;

/** Opening a model the one way every model class does it. */
public final class ModelLoading {
    private ModelLoading() {
    }

    /**
     * Opens the backend {@code options} names and builds the model on it; if building fails, the backend is closed
     * before the failure propagates, so a refused file leaves nothing open. The model owns the backend afterwards.
     */
    public static <M> M onNewBackend(ModelOptions options, Function<Backend, M> build) {
        Backend backend = Backends.open(options.backend(), options.threads());
        try {
            return build.apply(backend);
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }
}
