package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandTimings;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Many devices on the gateway from one process, for benchmarks and fault tests: each with a device credential
 * signed with the gateway's shared secret (as if it had enrolled), one WebSocket each on a Vert.x event loop,
 * reconnecting to the next replica with backoff and full jitter when its socket closes. Records when each
 * command frame arrives (against the {@code dispatchedAt} the producer wrote, same host clock), which commands
 * came more than once, and answers as its {@link Behaviour} says: a command that comes again is not run again, but its
 * answer is said again (the first may have been lost with a socket). Counts what a fault test asserts on: sockets open per
 * replica, attempts that failed, sockets the far end closed.
 */
final class DeviceSwarm implements AutoCloseable {

    static final String ISSUER = "https://autoglm.io/fleet/device-gateway";

    private final Vertx vertx;
    private final WebSocketClient client;
    private final List<URI> gateways;
    private final String tenant;
    private final byte[] secret;
    private final Behaviour behaviour;
    private final EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    private final List<Device> devices = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder connects = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger[] openOn;
    private final java.util.Queue<Long> outages = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.Queue<Long> handshakes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<String, Integer> executions = new ConcurrentHashMap<>();
    private volatile Consumer<Arrival> arrivals = arrival -> { };
    private volatile boolean closing;

    /** A command frame at a device: which, and microseconds from its dispatch to here. */
    record Arrival(String deviceId, String commandId, long micros) {
    }

    /** What a device does with a command it gets. */
    enum Behaviour {
        /** Nothing: it neither accepts nor answers. */
        SILENT,
        /** Accepts it, then says nothing more (a device that hangs mid-command). */
        ACCEPT_ONLY,
        /** Accepts and completes it at once. */
        COMPLETE
    }

    /** @param answer whether the devices accept and complete each command at once ({@link Behaviour#COMPLETE}) or stay silent */
    DeviceSwarm(List<URI> gateways, String tenant, byte[] secret, int count, boolean answer) {
        this(gateways, tenant, secret, count, answer ? Behaviour.COMPLETE : Behaviour.SILENT, "d");
    }

    /** @param prefix the devices' ids are {@code <prefix>-<tenant>-<n>} */
    DeviceSwarm(List<URI> gateways, String tenant, byte[] secret, int count, Behaviour behaviour, String prefix) {
        this.gateways = List.copyOf(gateways);
        this.tenant = tenant;
        this.secret = secret.clone();
        this.behaviour = behaviour;
        this.openOn = new AtomicInteger[gateways.size()];
        for (int i = 0; i < openOn.length; i++) {
            openOn[i] = new AtomicInteger();
        }
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(10_000).setMaxFrameSize(1 << 20)
                .setMaxMessageSize(1 << 20).setIdleTimeout(0)
                // Vert.x allows 50 sockets per host and port by default; queues the others
                .setMaxConnections(Math.max(count, 1)));
        for (int i = 0; i < count; i++) {
            devices.add(new Device(String.format("%s-%s-%05d", prefix, tenant, i), i % gateways.size()));
        }
    }

    List<String> deviceIds() {
        return devices.stream().map(device -> device.id).toList();
    }

    void onArrival(Consumer<Arrival> listener) {
        this.arrivals = listener;
    }

    /** Connects every device, {@code perSecond} at a time at most (0: all at once, a reconnect storm). */
    void connect(int perSecond) {
        long gapNanos = perSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
        for (int i = 0; i < devices.size(); i++) {
            Device device = devices.get(i);
            long delayMs = TimeUnit.NANOSECONDS.toMillis(gapNanos * i);
            if (delayMs == 0) {
                vertx.runOnContext(v -> device.connect());
            } else {
                vertx.setTimer(delayMs, id -> device.connect());
            }
        }
    }

    /** Waits until {@code expected} sockets are open; false at the timeout. */
    boolean awaitOpen(int expected, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (open.get() < expected && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        return open.get() >= expected;
    }

    int open() {
        return open.get();
    }

    /** Sockets open now to the replica at {@code gateway} (its index in the list given). */
    int openOn(int gateway) {
        return openOn[gateway].get();
    }

    /** Waits until {@code expected} sockets are open to the replica at {@code gateway}; false at the timeout. */
    boolean awaitOpenOn(int gateway, int expected, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (openOn[gateway].get() < expected && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return openOn[gateway].get() >= expected;
    }

    long connects() {
        return connects.sum();
    }

    /** Connection attempts that failed (refused, handshake answered with an error, timed out). */
    long failedAttempts() {
        return failedAttempts.sum();
    }

    /** Milliseconds from each dropped socket to its device's next open one, in the order they reopened. */
    List<Long> outagesMs() {
        return List.copyOf(outages);
    }

    /** Milliseconds each successful connection attempt took (TCP, upgrade, authentication), in the order they completed. */
    List<Long> handshakesMs() {
        return List.copyOf(handshakes);
    }

    /** Open sockets that the far end (or the network) closed. */
    long dropped() {
        return dropped.sum();
    }

    /** Command frames that came again after the device had the command (delivery is at-least-once; dropped here). */
    long duplicates() {
        return duplicates.sum();
    }

    /** Commands a device ran more than once: what must never happen. */
    long executedTwice() {
        return executions.values().stream().filter(n -> n > 1).count();
    }

    Set<String> executed() {
        return executions.keySet();
    }

    @Override
    public void close() {
        closing = true;
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    /** An HS256 JWT naming the device and its tenant, as the gateway issues them. */
    static String credential(byte[] secret, String tenant, String deviceId) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = url.encodeToString(String.format("{\"iss\":\"%s\",\"sub\":\"%s\",\"tenant\":\"%s\",\"iat\":%d,\"exp\":%d}",
                ISSUER, deviceId, tenant, now, now + 3600).getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return header + "." + claims + "." + url.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Device {
        final String id;
        final String token;
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        int gateway;
        int openGateway = -1;
        int failures;
        long droppedAt;
        WebSocket socket;

        Device(String id, int gateway) {
            this.id = id;
            this.gateway = gateway;
            this.token = credential(secret, tenant, id);
        }

        void connect() {
            if (closing) {
                return;
            }
            URI target = gateways.get(gateway);
            long attempt = System.nanoTime();
            client.connect(new WebSocketConnectOptions().setHost(target.getHost()).setPort(target.getPort()).setURI(target.getPath())
                    .addSubProtocol("cloudevents.json").addHeader("Authorization", "Bearer " + token)).onComplete(result -> {
                if (result.failed()) {
                    if (!closing) {
                        failedAttempts.increment();
                    }
                    retry();
                    return;
                }
                WebSocket ws = result.result();
                handshakes.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attempt));
                socket = ws;
                failures = 0;
                openGateway = gateway;
                if (droppedAt != 0) {
                    outages.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - droppedAt));
                    droppedAt = 0;
                }
                openOn[openGateway].incrementAndGet();
                open.incrementAndGet();
                connects.increment();
                ws.textMessageHandler(text -> received(ws, text));
                ws.closeHandler(v -> {
                    open.decrementAndGet();
                    openOn[openGateway].decrementAndGet();
                    if (!closing) {
                        dropped.increment();
                        droppedAt = System.nanoTime();
                    }
                    socket = null;
                    retry();
                });
                ws.exceptionHandler(e -> { });
            });
        }

        void retry() {
            if (closing) {
                return;
            }
            gateway = (gateway + 1) % gateways.size();
            long cap = Math.min(5_000, 100L << Math.min(failures++, 6));
            vertx.setTimer(1 + ThreadLocalRandom.current().nextLong(cap), id -> connect());
        }

        void received(WebSocket ws, String text) {
            Instant arrived = Instant.now();
            long now = arrived.getEpochSecond() * 1_000_000 + arrived.getNano() / 1000;
            CloudEvent event = json.deserialize(text.getBytes(StandardCharsets.UTF_8));
            if (!event.getType().equals(EventType.COMMAND_DISPATCHED.type())) {
                return;
            }
            CommandDispatched command = Events.payload(event, CommandDispatched.class);
            boolean again = !seen.add(command.commandId());
            if (again) {
                duplicates.increment(); // not run again; its result is said again, in case the first answer was lost
            } else {
                Instant dispatched = command.dispatchedAt();
                long micros = now - (dispatched.getEpochSecond() * 1_000_000 + dispatched.getNano() / 1000);
                arrivals.accept(new Arrival(id, command.commandId(), micros));
                executions.merge(command.commandId(), 1, Integer::sum);
            }
            if (behaviour != Behaviour.SILENT) {
                Instant at = Instant.now();
                URI source = URI.create("/devices/" + tenant + "/" + id);
                ws.writeTextMessage(new String(json.serialize(Events.newEvent(EventType.COMMAND_ACCEPTED, source, tenant, id,
                        new CommandAccepted(command.commandId(), id, at)).build()), StandardCharsets.UTF_8));
            }
            if (behaviour == Behaviour.COMPLETE) {
                Instant at = Instant.now();
                URI source = URI.create("/devices/" + tenant + "/" + id);
                ws.writeTextMessage(new String(json.serialize(Events.newEvent(EventType.COMMAND_COMPLETED, source, tenant, id,
                        new CommandCompleted(command.commandId(), id, "done", null, new CommandTimings(at, at, at))).build()), StandardCharsets.UTF_8));
            }
        }
    }
}
