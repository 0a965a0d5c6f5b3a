package io.autoglm.fleet.triggers.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.http.ServerWebSocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A device's socket on the Vert.x HTTP server Quarkus runs. */
final class VertxDeviceSocket implements DeviceSocket {

    private static final Buffer PING = Buffer.buffer(new byte[0]);
    /** The frame size every WebSocket client takes (Vert.x's and Netty's default limit). */
    static final int SINGLE_FRAME = 65_536;

    private final ServerWebSocket socket;

    VertxDeviceSocket(ServerWebSocket socket) {
        this.socket = socket;
    }

    @Override
    public CompletionStage<Void> writeText(byte[] utf8) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        // a frame the size of most is written from its bytes as they are; a larger one as a message, which Vert.x
        // splits into frames of the server's size (through a String: rare, screenshots travel the other way)
        Future<Void> write = utf8.length <= SINGLE_FRAME
                ? socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true))
                : socket.writeTextMessage(new String(utf8, StandardCharsets.UTF_8));
        write.onComplete(result -> {
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
