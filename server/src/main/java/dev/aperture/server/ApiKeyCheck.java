package dev.aperture.server;

import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** {@code --api-key}: every {@code /v1} request must send {@code Authorization: Bearer <key>}, or get a 401. */
final class ApiKeyCheck {
    private static final String BEARER = "Bearer ";

    private final byte[] expected;

    /** @param apiKey the key; null lets every request through */
    ApiKeyCheck(String apiKey) {
        this.expected = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
    }

    /** @throws ApiException 401 when a key is required and the request's is missing or wrong */
    void check(Context ctx) {
        if (expected == null) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith(BEARER)) {
            throw unauthorized("No API key given: send 'Authorization: Bearer <key>'");
        }
        byte[] given = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        // Constant-time: how long a wrong key takes to refuse says nothing about how much of it was right.
        if (!MessageDigest.isEqual(expected, given)) {
            throw unauthorized("Incorrect API key given");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(new ApiError(401, "authentication_error", "invalid_api_key", null, message, 0));
    }
}
