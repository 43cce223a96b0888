/**
 * The OpenCL backend ({@code opencl}) through the Foreign Function and Memory API, a plug-in: registered with core's
 * {@code ServiceLoader}, so nothing depends on it at compile time and it exports nothing to users.
 *
 * <p>Only the command line reaches inside: {@code aperture devices} lists the devices
 * ({@code OpenCl.listDevices()}), hence the qualified export. Its restricted FFM calls need native access: on the
 * class path {@code --enable-native-access=ALL-UNNAMED} (the {@code aperture} launcher, the cli jar's manifest and
 * the tests give it), on the module path {@code --enable-native-access=dev.aperture.backend.gpu}.
 */
@SuppressWarnings("module")   // the cli module, target of the qualified export, is built after this one
module dev.aperture.backend.gpu {
    requires dev.aperture.core;

    exports dev.aperture.backend.gpu to dev.aperture.cli;

    // The same registration as META-INF/services/dev.aperture.core.backend.BackendProvider, which the class path
    // (the shaded cli jar, the tests) still reads.
    provides dev.aperture.core.backend.BackendProvider with dev.aperture.backend.gpu.OpenClBackendProvider;
}
