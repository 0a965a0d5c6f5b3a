package io.autoglm.fleet.deviceagent.protocol;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's socket on the JDK's own WebSocket client ({@code java.net.http}): no dependency, any
 * {@code ws://} or {@code wss://} URL. Frames are sent one after the other (the client takes one send at a
 * time); a text message split over several frames is joined before it is handed on.
 */
public final class JdkGatewayConnector implements GatewayConnector {

    private final HttpClient client;
    private final Duration connectTimeout;

    public JdkGatewayConnector(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    @Override
    public CompletableFuture<GatewayConnection> connect(URI gateway, String bearerToken, GatewayListener listener) {
        Adapter adapter = new Adapter(listener);
        return client.newWebSocketBuilder()
                .subprotocols(SUBPROTOCOL)
                .header("Authorization", "Bearer " + bearerToken)
                .connectTimeout(connectTimeout)
                .buildAsync(gateway, adapter)
                .handle((socket, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                        if (cause instanceof WebSocketHandshakeException refused) {
                            Object body = refused.getResponse().body();
                            throw new HandshakeRefusedException(refused.getResponse().statusCode(), body == null ? null : body.toString());
                        }
                        throw new CompletionException(cause);
                    }
                    if (!SUBPROTOCOL.equals(socket.getSubprotocol())) {
                        socket.abort();
                        throw new CompletionException(new IllegalStateException(
                                "the gateway did not agree to the " + SUBPROTOCOL + " subprotocol (got '" + socket.getSubprotocol() + "')"));
                    }
                    return (GatewayConnection) new Connection(socket, adapter);
                });
    }

    private static final class Connection implements GatewayConnection {
        private final WebSocket socket;
        private final Adapter adapter;
        private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);

        Connection(WebSocket socket, Adapter adapter) {
            this.socket = socket;
            this.adapter = adapter;
        }

        @Override
        public synchronized CompletableFuture<Void> send(String frame) {
            sending = sending.exceptionally(e -> null).thenCompose(v -> socket.sendText(frame, true)).thenApply(s -> null);
            return sending;
        }

        @Override
        public CompletableFuture<Duration> ping() {
            CompletableFuture<Duration> pong = new CompletableFuture<>();
            long sent = System.nanoTime();
            adapter.pong.set(pong);
            socket.sendPing(ByteBuffer.wrap(Long.toString(sent).getBytes(StandardCharsets.US_ASCII)))
                    .whenComplete((s, e) -> {
                        if (e != null) {
                            pong.completeExceptionally(e);
                        }
                    });
            return pong.thenApply(at -> Duration.ofNanos(System.nanoTime() - sent));
        }

        @Override
        public void close(int code, String reason) {
            adapter.closing = true;
            socket.sendClose(code, reason).orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((s, e) -> socket.abort());
        }
    }

    /** JDK listener -> ours: whole text messages, the close, the failure. */
    private static final class Adapter implements WebSocket.Listener {
        private final GatewayListener listener;
        private final StringBuilder partial = new StringBuilder();
        final AtomicReference<CompletableFuture<Duration>> pong = new AtomicReference<>();
        volatile boolean closing;

        Adapter(GatewayListener listener) {
            this.listener = listener;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                listener.onFrame(frame);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket socket, ByteBuffer message) {
            CompletableFuture<Duration> waiting = pong.getAndSet(null);
            if (waiting != null) {
                waiting.complete(Duration.ZERO);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            if (!closing) {
                listener.onClosed(statusCode, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            if (!closing) {
                listener.onBroken(error);
            }
        }
    }
}
