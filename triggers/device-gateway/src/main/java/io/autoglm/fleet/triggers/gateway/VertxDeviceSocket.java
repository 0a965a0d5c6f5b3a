package io.autoglm.fleet.triggers.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A device's socket on the Vert.x HTTP server Quarkus runs. */
final class VertxDeviceSocket implements DeviceSocket {

    private static final Buffer PING = Buffer.buffer(new byte[0]);

    private final ServerWebSocket socket;

    VertxDeviceSocket(ServerWebSocket socket) {
        this.socket = socket;
    }

    @Override
    public CompletionStage<Void> writeText(String frame) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        socket.writeTextMessage(frame).onComplete(result -> {
            if (result.succeeded()) {
                written.complete(null);
            } else {
                written.completeExceptionally(result.cause());
            }
        });
        return written;
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public void ping() {
        if (!socket.isClosed()) {
            socket.writePing(PING);
        }
    }

    @Override
    public void close(short code, String reason) {
        if (!socket.isClosed()) {
            socket.close(code, truncate(reason));
        }
    }

    /** A close reason fits in a control frame: 125 bytes less the code's two. */
    static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        String cut = new String(bytes, 0, 120, StandardCharsets.UTF_8);
        // a code point cut in half decodes as U+FFFD: drop it
        return cut.replace("\uFFFD", "") + "...";
    }
}
