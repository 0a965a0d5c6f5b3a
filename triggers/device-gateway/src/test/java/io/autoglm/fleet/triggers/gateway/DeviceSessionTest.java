package io.autoglm.fleet.triggers.gateway;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A session's outbound bound and its close reasons, on a socket that takes frames only when told to. */
class DeviceSessionTest {

    /** A socket whose writes complete when {@link #drain} says so. */
    static final class StalledSocket implements DeviceSocket {
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        final List<String> written = new ArrayList<>();
        boolean queueFull;
        Short closeCode;
        String closeReason;
        int pings;

        @Override
        public synchronized CompletionStage<Void> writeText(byte[] frame) {
            written.add(new String(frame, StandardCharsets.UTF_8));
            CompletableFuture<Void> write = new CompletableFuture<>();
            pending.add(write);
            return write;
        }

        synchronized void drain() {
            pending.forEach(write -> write.complete(null));
            pending.clear();
        }

        @Override
        public boolean writeQueueFull() {
            return queueFull;
        }

        @Override
        public void ping() {
            pings++;
        }

        @Override
        public void close(short code, String reason) {
            closeCode = code;
            closeReason = reason;
        }
    }

    private final StalledSocket socket = new StalledSocket();
    private final DeviceSession session = new DeviceSession("c-1", InboundFramesTest.ACME_DEVICE, socket, 3, Instant.EPOCH, 0);

    @Test
    void framesTheNetworkHasNotTakenAreBoundedAndOneMoreClosesWith4000() {
        AtomicInteger delivered = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(session.send(bytes("frame-" + i), delivered::incrementAndGet)).isTrue();
        }
        assertThat(session.outstanding()).isEqualTo(3);

        assertThat(session.send(bytes("frame-3"), delivered::incrementAndGet)).isFalse();

        assertThat(socket.closeCode).isEqualTo(DeviceSession.OVERFLOW);
        assertThat(socket.closeReason).isEqualTo("outbound queue full");
        assertThat(socket.written).containsExactly("frame-0", "frame-1", "frame-2");
        socket.drain();
        assertThat(delivered).as("only frames the network took count as delivered").hasValue(3);
        assertThat(session.send(bytes("after"), null)).isFalse();
    }

    @Test
    void aFullWriteQueueClosesLikeAFullCount() {
        socket.queueFull = true;
        assertThat(session.send(bytes("frame"), null)).isFalse();
        assertThat(socket.closeCode).isEqualTo(DeviceSession.OVERFLOW);
        assertThat(socket.written).isEmpty();
    }

    @Test
    void aDeviceThatKeepsUpIsNeverClosed() {
        for (int i = 0; i < 100; i++) {
            assertThat(session.send(bytes("frame-" + i), null)).isTrue();
            socket.drain();
        }
        assertThat(socket.closeCode).isNull();
        assertThat(session.outstanding()).isZero();
    }

    @Test
    void closingKeepsTheFirstReasonOnly() {
        session.close(DeviceSession.REPLACED, "replaced by a newer connection of this device");
        session.close(DeviceSession.GOING_AWAY, "draining");
        session.closedBy("closed by the device");
        assertThat(session.closeReason()).isEqualTo("replaced by a newer connection of this device");
        assertThat(socket.closeCode).isEqualTo(DeviceSession.REPLACED);
    }

    @Test
    void silenceIsCountedFromTheLastFrameOrPong() {
        session.heard(1_000);
        assertThat(session.silentNanos(5_000)).isEqualTo(4_000);
        session.ping();
        assertThat(socket.pings).isEqualTo(1);
    }

    @Test
    void aLongCloseReasonIsCutToFitAControlFrame() {
        assertThat(VertxDeviceSocket.truncate("é".repeat(100)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(VertxDeviceSocket.truncate("outbound queue full")).isEqualTo("outbound queue full");
    }

    @Test
    void aLargeFrameIsReadOffTheEventLoopAndTheFramesAfterItWaitForIt() {
        List<Runnable> worker = new ArrayList<>();
        List<String> read = new ArrayList<>();

        session.read(() -> read.add("small-1"), false, worker::add);
        session.read(() -> read.add("large"), true, worker::add);
        session.read(() -> read.add("small-2"), false, worker::add);

        assertThat(read).as("the first small frame is read at once, the others wait for the worker").containsExactly("small-1");
        worker.remove(0).run();
        assertThat(read).containsExactly("small-1", "large");
        worker.remove(0).run();
        assertThat(read).containsExactly("small-1", "large", "small-2");
        session.read(() -> read.add("small-3"), false, worker::add);
        assertThat(read).as("once nothing waits, read at once again").endsWith("small-3");
        assertThat(worker).isEmpty();
    }

    private static byte[] bytes(String frame) {
        return frame.getBytes(StandardCharsets.UTF_8);
    }
}
