/**
 * Aperture's core: the exceptions, tensors, checkpoints and the backend interface every other module builds on.
 * Knows no model.
 *
 * <p>Exported: the exception hierarchy ({@code dev.aperture.core}), the backend plug-in interface
 * ({@code dev.aperture.core.backend}), tensors ({@code dev.aperture.core.tensor}), opening any checkpoint
 * ({@code dev.aperture.core.checkpoint}) and reading and writing safetensors ({@code dev.aperture.core.safetensors},
 * whose writer models' {@code convert} uses). Not exported: {@code dev.aperture.core.pytorch}, the weights-only
 * PyTorch reader, which {@link dev.aperture.core.checkpoint.Checkpoints#open} hands out as a plain
 * {@link dev.aperture.core.tensor.TensorSource}.
 */
module dev.aperture.core {
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;

    exports dev.aperture.core;
    exports dev.aperture.core.backend;
    exports dev.aperture.core.checkpoint;
    exports dev.aperture.core.safetensors;
    exports dev.aperture.core.tensor;

    // Backends are found at run time (BackendProviders); on the module path ServiceLoader serves a module only the
    // services it declares here.
    uses dev.aperture.core.backend.BackendProvider;
}
