package dev.aperture.backend.gpu;

import dev.aperture.core.BackendException;

/**
 * An OpenCL call returned an error status. The message names the call and the status
 * (e.g. {@code clEnqueueNDRangeKernel(linear) failed: CL_OUT_OF_RESOURCES (-5)}); for a failed program build it
 * also carries the compiler's log.
 */
public final class OpenClException extends BackendException {
    private final String call;
    private final int status;

    OpenClException(String call, int status, String detail) {
        super(call + " failed: " + ClStatus.name(status) + " (" + status + ")"
                + (detail == null || detail.isBlank() ? "" : "\n" + detail));
        this.call = call;
        this.status = status;
    }

    /** The OpenCL function that failed, with what it was working on in parentheses where that helps. */
    public String call() {
        return call;
    }

    /** The raw OpenCL status code (negative). */
    public int status() {
        return status;
    }

    /** The status's name from {@code cl.h}, e.g. {@code CL_INVALID_VALUE}. */
    public String statusName() {
        return ClStatus.name(status);
    }
}
