package dev.jbox.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers before a request reaches the {@link Router} (a malformed request
 * line, headers too large, a TLS handshake on the plain port): the spec's JSON error body rather
 * than Jetty's HTML page, so a registry client can read every refusal the same way.
 */
final class ErrorBodies extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback)
            throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(status, message)), callback);
    }

    private static byte[] body(int status, String message) {
        ErrorCode code = status == 401 ? ErrorCode.UNAUTHORIZED : status == 405 ? ErrorCode.UNSUPPORTED : ErrorCode.UNKNOWN;
        String detail = "HTTP " + status + (message == null ? "" : ": " + message);
        return ("{\"errors\":[{\"code\":\"" + code.name() + "\",\"message\":\"" + code.message() + "\",\"detail\":"
                + dev.jbox.Json.text(detail) + "}]}").getBytes(StandardCharsets.UTF_8);
    }
}
