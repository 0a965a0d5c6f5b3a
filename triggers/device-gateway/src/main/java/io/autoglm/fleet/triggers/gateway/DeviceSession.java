package io.autoglm.fleet.triggers.gateway;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open socket: who is at the other end, since when, when it was last heard of, and its outbound
 * bound. Frames are written as they come (commands from Pulsar threads, answers from the socket's own
 * event loop); at most {@code maxOutstanding} may wait for the network, and once more would (or the
 * socket's write queue is full) the session closes with {@value #OVERFLOW} "outbound queue full": a
 * stalled device never holds memory or other devices up, and what it missed stays pending in the
 * commands table until it reconnects.
 */
public final class DeviceSession {

    /** Close code: the device reads too slowly; reconnect, pending commands come again. */
    public static final short OVERFLOW = 4000;
    /** Close code: a newer connection of the same device took over. */
    public static final short REPLACED = 4001;
    /** RFC 6455 1001: going away (draining, idle). */
    public static final short GOING_AWAY = 1001;
    /** RFC 6455 1008: policy violation. */
    public static final short POLICY = 1008;

    private final String connectionId;
    private final Caller caller;
    private final DeviceSocket socket;
    private final int maxOutstanding;
    private final Instant openedAt;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastHeardNanos;
    private volatile String closeReason;
    private volatile boolean superseded;
    /** The last frame from the device still being read off the event loop; null when none is. */
    private CompletableFuture<Void> reading;

    public DeviceSession(String connectionId, Caller caller, DeviceSocket socket, int maxOutstanding, Instant openedAt, long nowNanos) {
        this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.socket = Objects.requireNonNull(socket, "socket");
        this.openedAt = Objects.requireNonNull(openedAt, "openedAt");
        if (maxOutstanding < 1) {
            throw new IllegalArgumentException("the outbound queue must hold at least one frame, got " + maxOutstanding);
        }
        this.maxOutstanding = maxOutstanding;
        this.lastHeardNanos = nowNanos;
    }

    public String connectionId() {
        return connectionId;
    }

    public Caller caller() {
        return caller;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** The device said something (a frame, a pong). */
    public void heard(long nowNanos) {
        lastHeardNanos = nowNanos;
    }

    /** How long since the device was last heard of. */
    public long silentNanos(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    /** Frames written and not yet taken by the network. */
    public int outstanding() {
        return outstanding.get();
    }

    /**
     * Writes {@code frame}; {@code written} runs once the network took it. False when the session is
     * closed, or closes now because the device does not keep up.
     */
    public boolean send(byte[] frame, Runnable written) {
        if (closed.get()) {
            return false;
        }
        if (outstanding.incrementAndGet() > maxOutstanding || socket.writeQueueFull()) {
            outstanding.decrementAndGet();
            close(OVERFLOW, "outbound queue full");
            return false;
        }
        socket.writeText(frame).whenComplete((done, failure) -> {
            outstanding.decrementAndGet();
            if (failure == null && written != null) {
                written.run();
            }
        });
        return true;
    }

    public boolean send(byte[] frame) {
        return send(frame, null);
    }

    /**
     * Reads a frame from the device ({@code read}), in the order the device sent them: on the calling (event loop)
     * thread, unless {@code offload} says it is a large one or an earlier one is still being read on {@code executor}.
     * A large frame (a screenshot, megabytes to parse and check) so never holds up the other sockets of its event loop.
     */
    public synchronized void read(Runnable read, boolean offload, Executor executor) {
        if (!offload && (reading == null || reading.isDone())) {
            reading = null;
            read.run();
            return;
        }
        CompletableFuture<Void> before = reading == null ? CompletableFuture.completedFuture(null) : reading;
        reading = before.thenRunAsync(read, executor).exceptionally(failure -> null);
    }

    public void ping() {
        if (!closed.get()) {
            socket.ping();
        }
    }

    /** Closes the socket (once) saying why; {@link #closeReason()} keeps the reason. */
    public void close(short code, String reason) {
        if (closed.compareAndSet(false, true)) {
            closeReason = reason;
            socket.close(code, reason);
        }
    }

    /** The socket closed from the other end (or the network): only the reason is kept. */
    public void closedBy(String reason) {
        if (closed.compareAndSet(false, true)) {
            closeReason = reason;
        }
    }

    public boolean closed() {
        return closed.get();
    }

    /** Why the session ended, as the gateway or the device said it; null while open. */
    public String closeReason() {
        return closeReason;
    }

    /**
     * Marks that another connection of this device took over (here or on another replica), or that the
     * device's leaving has already been written: its end writes no presence.
     */
    public void supersede() {
        superseded = true;
    }

    public boolean superseded() {
        return superseded;
    }
}
