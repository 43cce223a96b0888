package dev.aperture.server;

/** Thrown where the server itself refuses a request (a bad field, an unknown model, a full queue): carries its error. */
final class ApiException extends RuntimeException {
    private final ApiError error;

    ApiException(ApiError error) {
        super(error.message());
        this.error = error;
    }

    ApiError error() {
        return error;
    }

    static ApiException badRequest(String param, String message) {
        return new ApiException(ApiError.badRequest(param, message));
    }

    static ApiException tooLarge(String param, String message) {
        return new ApiException(ApiError.tooLarge(param, message));
    }
}
