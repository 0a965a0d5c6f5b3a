package io.autoglm.fleet.triggers.gateway;

import java.util.concurrent.CompletionStage;

/**
 * The few things the gateway does with a device's socket, so a session's rules (the outbound bound, the
 * close reasons) are tested without a network. {@link VertxDeviceSocket} is the real one. Thread-safe.
 */
public interface DeviceSocket {

    /** Writes one text frame ({@code utf8}: its UTF-8 bytes); completes once the network took it. */
    CompletionStage<Void> writeText(byte[] utf8);

    /** Whether the socket's own write queue is over its mark (the device reads slower than we write). */
    boolean writeQueueFull();

    void ping();

    /** Closes with {@code code} and {@code reason} (at most 123 bytes). */
    void close(short code, String reason);
}
