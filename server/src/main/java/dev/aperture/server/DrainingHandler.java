package dev.aperture.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's graceful-shutdown tracker, in front of every route: when the server stops (with a stop timeout), Jetty
 * first closes the listening socket, so new connections are refused, while this handler waits for the requests in
 * flight to complete. A request that arrives meanwhile on a connection kept alive gets 503 with Retry-After in
 * OpenAI's error shape (Jetty's own refusal is a bare 503) and the connection closed, so the client reconnects to
 * whichever server replaces this one.
 */
final class DrainingHandler extends GracefulHandler {
    private static final ApiError SHUTTING_DOWN = ApiError.unavailable("shutting_down", "the server is shutting down");

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!isShutdown()) {
            return super.handle(request, response, callback);
        }
        byte[] body = JsonBody.JSON.writeValueAsBytes(Responses.errorBody(SHUTTING_DOWN));
        response.setStatus(SHUTTING_DOWN.status());
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(SHUTTING_DOWN.retryAfterSeconds()));
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
