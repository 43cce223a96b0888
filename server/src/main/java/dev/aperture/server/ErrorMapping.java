package dev.aperture.server;

import dev.aperture.core.ApertureException;
import dev.aperture.core.BackendException;
import dev.aperture.core.ResourceLimitException;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Which status each failure gets. The models' typed exceptions say whose fault it is: bad input
 * ({@code InputException}, {@code FormatException}, {@code ModelMismatchException}) is 400, a limit
 * ({@code ResourceLimitException}: a text too long, a decompression bomb) is 413, a backend failure is 500. Bad input
 * never becomes a 500: only a bug or the backend does.
 */
final class ErrorMapping {
    private ErrorMapping() {
    }

    static ApiError toApiError(Throwable failure) {
        Throwable cause = unwrap(failure);
        return switch (cause) {
            case ApiException api -> api.error();
            case ResourceLimitException limit -> ApiError.tooLarge(null, limit.getMessage());
            case BackendException backend -> new ApiError(500, ApiError.SERVER_ERROR, "backend_error", null,
                    "the compute backend failed: " + backend.getMessage(), 0);
            case ApertureException input -> ApiError.badRequest(null, input.getMessage());
            // Reading the body failed: the client went away or sent it slower than the read timeout allows.
            case IOException io -> new ApiError(408, ApiError.INVALID_REQUEST, "request_timeout", null,
                    "could not read the request body: " + io.getMessage(), 0);
            default -> new ApiError(500, ApiError.SERVER_ERROR, "internal_error",
                    null, "internal error (please report it): " + cause, 0);
        };
    }

    /** The failure itself, not the wrappers a future or an executor puts around it. */
    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
