package io.autoglm.fleet.triggers.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.events.EventJson;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A device's end of the socket, with the JDK's WebSocket client: frames it got, in order, and how the socket closed. */
final class TestDevice implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private WebSocket socket;

    /** Connects to {@code uri} with {@code authorization} (or none) through {@code client}. */
    static TestDevice connect(HttpClient client, URI uri, String authorization) {
        TestDevice device = new TestDevice();
        WebSocket.Builder builder = client.newWebSocketBuilder().subprotocols(DeviceSocketRoute.SUBPROTOCOL).connectTimeout(Duration.ofSeconds(10));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        device.socket = builder.buildAsync(uri, device).orTimeout(15, TimeUnit.SECONDS).join();
        return device;
    }

    static TestDevice connect(URI uri, String authorization) {
        return connect(HttpClient.newHttpClient(), uri, authorization);
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(String frame) {
        socket.sendText(frame, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next frame within {@code timeout}; fails the test when none comes. */
    JsonNode next(Duration timeout) throws InterruptedException {
        JsonNode frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + timeout + (closed.isDone() ? " (closed: " + closed.join() + ")" : ""));
        }
        return frame;
    }

    /** The next frame of {@code type} within {@code timeout}, skipping others. */
    JsonNode next(String type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (type.equals(frame.path("type").asText())) {
                return frame;
            }
        }
    }

    /** Every frame that came within {@code quiet} of the last. */
    List<JsonNode> drain(Duration quiet) throws InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        JsonNode frame;
        while ((frame = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            all.add(frame);
        }
        return all;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(EventJson.tree(partial.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
