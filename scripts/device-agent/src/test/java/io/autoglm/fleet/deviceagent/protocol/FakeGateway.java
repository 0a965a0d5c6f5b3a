package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's side of the socket, in memory: records every connection (its URL and bearer token),
 * hands the frames the agent sends to the test (each checked against the contract, as the gateway
 * checks it), lets the test push frames down, close the socket, or refuse the next connections.
 */
final class FakeGateway implements GatewayConnector {

    private static final Duration WAIT = Duration.ofSeconds(10);

    final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Socket> opened = new LinkedBlockingQueue<>();
    private final BlockingQueue<RuntimeException> refusals = new LinkedBlockingQueue<>();

    @Override
    public CompletableFuture<GatewayConnection> connect(URI gateway, String bearerToken, GatewayListener listener) {
        RuntimeException refusal = refusals.poll();
        if (refusal != null) {
            sockets.add(new Socket(gateway, bearerToken, null));
            return CompletableFuture.failedFuture(refusal);
        }
        Socket socket = new Socket(gateway, bearerToken, listener);
        sockets.add(socket);
        opened.add(socket);
        return CompletableFuture.completedFuture(socket);
    }

    /** The next connection attempts fail with these, in order. */
    void refuseNext(RuntimeException... failures) {
        refusals.addAll(List.of(failures));
    }

    /** The next socket the agent opens. */
    Socket nextSocket() throws InterruptedException {
        Socket socket = opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (socket == null) {
            throw new AssertionError("the agent opened no socket within " + WAIT);
        }
        return socket;
    }

    boolean noSocketWithin(Duration wait) throws InterruptedException {
        return opened.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    /** One socket the agent opened. */
    static final class Socket implements GatewayConnection {
        final URI uri;
        final String bearer;
        private final GatewayListener listener;
        private final BlockingQueue<CloudEvent> received = new LinkedBlockingQueue<>();
        final List<CloudEvent> all = new CopyOnWriteArrayList<>();
        volatile Integer closedWith;

        Socket(URI uri, String bearer, GatewayListener listener) {
            this.uri = uri;
            this.bearer = bearer;
            this.listener = listener;
        }

        @Override
        public CompletableFuture<Void> send(String frame) {
            Validation validation = EventValidator.standard().validateStructured(frame.getBytes(StandardCharsets.UTF_8));
            if (!validation.isValid()) {
                throw new AssertionError("the agent sent an event the contract refuses: " + validation.summary() + "\n" + frame);
            }
            CloudEvent event = Frames.read(frame);
            all.add(event);
            received.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Duration> ping() {
            return CompletableFuture.completedFuture(Duration.ofMillis(12));
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        /** The next event the agent sends on this socket. */
        CloudEvent next() throws InterruptedException {
            CloudEvent event = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("the agent sent nothing within " + WAIT + " (so far: " + types(all) + ")");
            }
            return event;
        }

        /** The next event of {@code type}, skipping heartbeats. */
        CloudEvent next(EventType type) throws InterruptedException {
            while (true) {
                CloudEvent event = next();
                if (event.getType().equals(type.type())) {
                    return event;
                }
                if (!event.getType().equals(EventType.DEVICE_HEARTBEAT.type())) {
                    throw new AssertionError("expected " + type.type() + ", the agent sent " + event.getType() + ": " + payloadText(event));
                }
            }
        }

        <T> T next(EventType type, Class<T> payload) throws InterruptedException {
            return Events.payload(next(type), payload);
        }

        /** Whether anything but heartbeats arrives within {@code wait}. */
        List<CloudEvent> othersWithin(Duration wait) throws InterruptedException {
            List<CloudEvent> others = new ArrayList<>();
            long until = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < until) {
                CloudEvent event = received.poll(10, TimeUnit.MILLISECONDS);
                if (event != null && !event.getType().equals(EventType.DEVICE_HEARTBEAT.type())) {
                    others.add(event);
                }
            }
            return others;
        }

        /** Pushes a frame down to the agent. */
        void push(EventType type, Object payload) {
            push(Frames.write(Events.newEvent(type, URI.create("/gateways/test"), "acme", null, payload).build()));
        }

        void push(String frame) {
            listener.onFrame(frame);
        }

        void closeFromGateway(int code, String reason) {
            listener.onClosed(code, reason);
        }

        private static List<String> types(List<CloudEvent> events) {
            return events.stream().map(CloudEvent::getType).toList();
        }

        private static String payloadText(CloudEvent event) {
            return event.getData() == null ? "" : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
        }
    }
}
