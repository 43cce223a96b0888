package dev.aperture.backend.gpu;

import dev.aperture.core.BackendException;

/** OpenCL cannot be used here: no ICD loader library, no platform, or no device. The message says which. */
public final class OpenClUnavailableException extends BackendException {
    private final String reason;

    public OpenClUnavailableException(String reason) {
        super("OpenCL is not available: " + reason);
        this.reason = reason;
    }

    /** Why, without the "OpenCL is not available" prefix. */
    public String reason() {
        return reason;
    }
}
