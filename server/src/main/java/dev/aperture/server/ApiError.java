package dev.aperture.server;

/**
 * A failure as the client sees it, in OpenAI's error shape: the HTTP status, and the body
 * {@code {"error": {"message", "type", "param", "code"}}}.
 *
 * @param status            HTTP status
 * @param type              OpenAI's error type: {@code invalid_request_error}, {@code authentication_error},
 *                          {@code server_error}
 * @param code              a short machine-readable reason ({@code model_not_found}, {@code queue_full}, ...), or null
 * @param param             the request field at fault, with the item index where there is one ({@code input[3]}),
 *                          or null
 * @param message           what went wrong, for a person
 * @param retryAfterSeconds when above 0, sent as {@code Retry-After}: the client may try again then
 */
record ApiError(int status, String type, String code, String param, String message, int retryAfterSeconds) {
    static final String INVALID_REQUEST = "invalid_request_error";
    static final String SERVER_ERROR = "server_error";

    /** 400: the request is malformed; {@code param} names the field. */
    static ApiError badRequest(String param, String message) {
        return new ApiError(400, INVALID_REQUEST, "invalid_value", param, message, 0);
    }

    /** 413: the request is over one of the server's or the model's limits. */
    static ApiError tooLarge(String param, String message) {
        return new ApiError(413, INVALID_REQUEST, "limit_exceeded", param, message, 0);
    }

    /** 503 with Retry-After: the server cannot take the request now (queue full, loading, shutting down). */
    static ApiError unavailable(String code, String message) {
        return new ApiError(503, SERVER_ERROR, code, null, message, 1);
    }
}
