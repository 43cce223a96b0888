package dev.aperture.backend.gpu;

import java.util.List;
import java.util.Locale;

/**
 * Entry point to the machine's OpenCL: which devices exist, whether OpenCL works at all, and which device a
 * selector names. The ICD loader is loaded once, on first use.
 */
public final class OpenCl {
    /** System property naming the device: an index from {@link #listDevices()}, a type, or a name substring. */
    public static final String DEVICE_PROPERTY = "aperture.opencl.device";
    /** Environment variable read when {@link #DEVICE_PROPERTY} is not set. */
    public static final String DEVICE_ENVIRONMENT = "APERTURE_OPENCL_DEVICE";

    private OpenCl() {
    }

    /** Whether OpenCL can run here, and if not, why. */
    public record Availability(boolean available, String reason) {
    }

    /**
     * Every OpenCL device on this machine (all platforms), in a stable order.
     *
     * @throws OpenClUnavailableException when there is no OpenCL library or no platform
     */
    public static List<OpenClDevice> listDevices() {
        return ClDevices.enumerate(api()).stream().map(ClDevices.Handle::info).toList();
    }

    /** Checks that the OpenCL library loads, a platform is registered and it has at least one device. */
    public static Availability probe() {
        try {
            if (ClDevices.enumerate(api()).isEmpty()) {
                return new Availability(false, "OpenCL platforms are registered but report no device");
            }
            return new Availability(true, "OpenCL available");
        } catch (OpenClUnavailableException e) {
            return new Availability(false, e.reason());
        } catch (OpenClException e) {
            return new Availability(false, e.getMessage());
        }
    }

    /** The selector from {@link #DEVICE_PROPERTY}, else {@link #DEVICE_ENVIRONMENT}, else {@code null} (automatic). */
    public static String configuredSelector() {
        String selector = System.getProperty(DEVICE_PROPERTY);
        if (selector == null || selector.isBlank()) {
            selector = System.getenv(DEVICE_ENVIRONMENT);
        }
        return selector == null || selector.isBlank() ? null : selector.trim();
    }

    /** The library, loaded on first use; a load failure is remembered and rethrown on every call. */
    static ClApi api() {
        if (Loaded.API == null) {
            throw new OpenClUnavailableException(Loaded.FAILURE.reason());
        }
        return Loaded.API;
    }

    /**
     * The device {@code selector} names: {@code null}/empty for automatic (the first GPU, else the first device),
     * a number for an index of {@link #listDevices()}, {@code gpu}/{@code cpu}/{@code accelerator} for the first
     * device of that type, anything else for the first device whose name, vendor or platform contains it
     * (case-insensitive).
     *
     * @throws OpenClUnavailableException when OpenCL is absent or nothing matches
     */
    static ClDevices.Handle select(String selector) {
        List<ClDevices.Handle> devices = ClDevices.enumerate(api());
        if (devices.isEmpty()) {
            throw new OpenClUnavailableException("OpenCL platforms are registered but report no device");
        }
        if (selector == null || selector.isBlank()) {
            return devices.stream().filter(d -> d.info().type() == OpenClDevice.Type.GPU).findFirst()
                    .orElse(devices.getFirst());
        }
        String wanted = selector.trim().toLowerCase(Locale.ROOT);
        if (wanted.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(wanted);
            if (index >= devices.size()) {
                throw new OpenClUnavailableException("no OpenCL device #" + index + " (" + devices.size()
                        + " devices: " + names(devices) + ")");
            }
            return devices.get(index);
        }
        for (OpenClDevice.Type type : OpenClDevice.Type.values()) {
            if (type.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return devices.stream().filter(d -> d.info().type() == type).findFirst()
                        .orElseThrow(() -> new OpenClUnavailableException("no OpenCL device of type " + type
                                + " (devices: " + names(devices) + ")"));
            }
        }
        return devices.stream().filter(d -> matches(d.info(), wanted)).findFirst()
                .orElseThrow(() -> new OpenClUnavailableException("no OpenCL device matches '" + selector
                        + "' (devices: " + names(devices) + ")"));
    }

    private static boolean matches(OpenClDevice device, String wanted) {
        return device.name().toLowerCase(Locale.ROOT).contains(wanted)
                || device.vendor().toLowerCase(Locale.ROOT).contains(wanted)
                || device.platform().toLowerCase(Locale.ROOT).contains(wanted);
    }

    private static String names(List<ClDevices.Handle> devices) {
        return devices.stream().map(d -> "#" + d.info().index() + " " + d.info().type() + " " + d.info().name())
                .toList().toString();
    }

    /** Holder idiom: the library is loaded when {@link #api()} is first called, thread-safely, once. */
    private static final class Loaded {
        private static final ClApi API;
        private static final OpenClUnavailableException FAILURE;

        static {
            ClApi api = null;
            OpenClUnavailableException failure = null;
            try {
                api = ClApi.load(ClApi.DEFAULT_LIBRARIES);
            } catch (OpenClUnavailableException e) {
                failure = e;
            }
            API = api;
            FAILURE = failure;
        }
    }
}
