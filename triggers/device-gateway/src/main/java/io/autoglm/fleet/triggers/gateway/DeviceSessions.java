package io.autoglm.fleet.triggers.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Failures;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.PulsarProperties;
import io.autoglm.fleet.events.pulsar.StructuredJson;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.session.GatewayDraining;
import io.autoglm.fleet.events.session.GatewayError;
import io.autoglm.fleet.modelstore.blob.InvalidBlobException;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.v1.CloudEventV1;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Every socket of this replica and what flows through them: a device's frames, read by
 * {@link InboundFrames} and written to Pulsar (screenshots stored first); the commands addressed to the
 * devices held here, read from their tenants' command topics and pushed down (with {@code command.delivered}
 * once the network took the frame); the registry's answers to the registrations forwarded from here, relayed
 * with a device credential; and presence: {@code device.connected} / {@code device.disconnected} and the
 * compacted presence table, so a command finds its device's replica. One connection per device: a newer one
 * (here or on another replica) replaces the older. A frame over {@code offloadOver} characters (a screenshot) is read
 * on {@code reader}, not on the event loop, and a device's frames are read in the order it sent them.
 */
public final class DeviceSessions {

    private static final Logger LOG = Logger.getLogger(DeviceSessions.class);

    private final String replica;
    private final InboundFrames frames;
    private final SessionFrames session;
    private final EventIngress ingress;
    private final PulsarEventPublisher publisher;
    private final Topics topics;
    private final TopicTails tails;
    private final ScreenshotSink screenshots;
    private final DeviceCredentials credentials;
    private final Clock clock;
    private final Duration registrationTimeout;
    private final long offloadOver;
    private final Executor reader;
    private final Map<String, DeviceSession> devices = new ConcurrentHashMap<>();
    private final Map<DeviceSession, Boolean> enrolments = new ConcurrentHashMap<>();
    private final Map<String, PendingRegistration> registrations = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private volatile boolean draining;

    private record PendingRegistration(DeviceSession session, long dueNanos) {
    }

    public DeviceSessions(String replica, InboundFrames frames, SessionFrames session, EventIngress ingress, PulsarEventPublisher publisher,
                          Topics topics, TopicTails tails, ScreenshotSink screenshots, DeviceCredentials credentials, Clock clock,
                          Duration registrationTimeout, long offloadOver, Executor reader) {
        this.replica = Objects.requireNonNull(replica, "replica");
        this.frames = Objects.requireNonNull(frames, "frames");
        this.session = Objects.requireNonNull(session, "session");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.tails = Objects.requireNonNull(tails, "tails");
        this.screenshots = Objects.requireNonNull(screenshots, "screenshots");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registrationTimeout = Objects.requireNonNull(registrationTimeout, "registrationTimeout");
        this.offloadOver = offloadOver;
        this.reader = Objects.requireNonNull(reader, "reader");
        InboundFrames.ERROR_CODES.forEach(code -> refused.put(code, new LongAdder()));
    }

    public String replica() {
        return replica;
    }

    public boolean draining() {
        return draining;
    }

    /** Devices connected here. */
    public int devices() {
        return devices.size();
    }

    /** Sockets open here, devices and enrolments. */
    public int sockets() {
        return devices.size() + enrolments.size();
    }

    /** Commands written to devices' sockets since start. */
    public long delivered() {
        return delivered.get();
    }

    /** Frames read from devices since start. */
    public long framesIn() {
        return framesIn.sum();
    }

    /** Frames written to devices since start (commands, answers, refusals). */
    public long framesOut() {
        return framesOut.sum();
    }

    /** Frames refused with {@code code} ({@link InboundFrames#ERROR_CODES}) since start. */
    public long refused(String code) {
        LongAdder count = refused.get(code);
        return count == null ? 0 : count.sum();
    }

    /** A socket has opened for {@code opened}'s caller. */
    public void opened(DeviceSession opened) {
        if (!(opened.caller() instanceof Caller.Device device)) {
            enrolments.put(opened, Boolean.TRUE);
            return;
        }
        DeviceSession previous = devices.put(key(device.tenant(), device.deviceId()), opened);
        if (previous != null) {
            previous.supersede();
            previous.close(DeviceSession.REPLACED, "replaced by a newer connection of this device");
        }
        // the tails first: what the commands function sends again on device.connected must find them open
        tails.followMessages(topics.events(device.tenant(), EventFamily.DEVICE_COMMAND), this::command)
                .thenCompose(open -> tails.follow(topics.events(device.tenant(), EventFamily.PRESENCE), this::presence))
                .thenCompose(open -> opened.closed() ? CompletableFuture.completedFuture(null)
                        : presence(opened, EventType.DEVICE_CONNECTED, null))
                .whenComplete((done, failure) -> {
                    if (failure != null && !opened.closed()) {
                        LOG.warnf("device %s of %s: could not announce its connection: %s", device.deviceId(), device.tenant(),
                                Failures.unwrap(failure).getMessage());
                        opened.close(DeviceSession.GOING_AWAY, "the gateway cannot reach the event log; reconnect later");
                    }
                });
    }

    /** The socket of {@code closed} has closed (either end); {@code reason} is what was said. */
    public void closed(DeviceSession closed, String reason) {
        closed.closedBy(reason);
        if (!(closed.caller() instanceof Caller.Device device)) {
            enrolments.remove(closed);
            registrations.values().removeIf(pending -> pending.session() == closed);
            return;
        }
        boolean current = devices.remove(key(device.tenant(), device.deviceId()), closed);
        if (current && !closed.superseded()) {
            presence(closed, EventType.DEVICE_DISCONNECTED, closed.closeReason()).exceptionally(failure -> {
                LOG.warnf("device %s of %s: could not record its leaving: %s", device.deviceId(), device.tenant(),
                        Failures.unwrap(failure).getMessage());
                return null;
            });
        }
    }

    /** A text frame from {@code from}. */
    public void text(DeviceSession from, String frame, long nowNanos) {
        framesIn.increment();
        from.heard(nowNanos);
        from.read(() -> handle(from, frames.read(from.caller(), frame)), frame.length() > offloadOver, reader);
    }

    /** A binary frame from {@code from}: refused. */
    public void binary(DeviceSession from, long nowNanos) {
        framesIn.increment();
        from.heard(nowNanos);
        from.read(() -> handle(from, frames.binary()), false, reader);
    }

    private void handle(DeviceSession from, FrameOutcome outcome) {
        if (outcome instanceof FrameOutcome.Forward forward) {
            forward(from, forward.event());
        } else if (outcome instanceof FrameOutcome.Refuse refuse) {
            refuse(from, refuse.error());
        } else if (outcome instanceof FrameOutcome.Close close) {
            from.close(close.code(), close.reason());
        } else if (outcome instanceof FrameOutcome.StoreScreenshot store) {
            Caller.Device device = (Caller.Device) from.caller();
            screenshots.store(device.tenant(), device.deviceId(), store.png(), store.width(), store.height())
                    .whenComplete((where, failure) -> {
                        Throwable cause = failure == null ? null : Failures.unwrap(failure);
                        if (cause instanceof InvalidBlobException invalid) {
                            refuse(from, new GatewayError(InboundFrames.INVALID_EVENT, "the screenshot was refused: " + invalid.getMessage(),
                                    store.event().getId(), List.of(new Problem("data.observation.png", invalid.getMessage()))));
                        } else if (cause != null) {
                            LOG.warnf("device %s of %s: %s", device.deviceId(), device.tenant(), cause.getMessage());
                            refuse(from, new GatewayError(InboundFrames.UNAVAILABLE, "the screenshot could not be stored; nothing was "
                                    + "written: send the result again", store.event().getId(), List.of()));
                        } else {
                            handle(from, frames.withScreenshot(store, where));
                        }
                    });
        }
    }

    private void forward(DeviceSession from, CloudEvent event) {
        Caller caller = from.caller();
        CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
        if (caller instanceof Caller.Enrolment) {
            // the answer comes on the tenant's device topic: follow it before the request can be answered
            registrations.put(event.getId(), new PendingRegistration(from, System.nanoTime() + registrationTimeout.toNanos()));
            ready = tails.follow(topics.events(caller.tenant(), EventFamily.DEVICE), this::registration);
        }
        ready.thenCompose(open -> ingress.publish(event, caller.tenant())).whenComplete((written, failure) -> {
            if (failure != null) {
                registrations.remove(event.getId());
                LOG.debugf("event %s of tenant %s not written: %s", event.getId(), caller.tenant(), Failures.unwrap(failure).getMessage());
                refuse(from, new GatewayError(InboundFrames.UNAVAILABLE, "the event log did not take the event; nothing was written: "
                        + "send it again", event.getId(), List.of()));
            }
        });
    }

    private void refuse(DeviceSession to, GatewayError error) {
        refused.computeIfAbsent(error.code(), code -> new LongAdder()).increment();
        send(to, session.error(to.caller(), error), null);
    }

    /**
     * A command topic's message: pushed to its device when the device is held here. Read from the message's properties
     * and written down the socket from them and its value, without a CloudEvent in between (the path every command
     * takes: a decoded event and its re-encoding cost three times the frame in garbage, and the gateway's young
     * collections are its latency tail); a structured-mode message goes through the SDK's reader.
     */
    void command(Map<String, String> properties, byte[] value) {
        if (properties.get(PulsarProperties.SPEC_VERSION) == null) {
            CloudEvent event;
            try {
                event = PulsarMessageFactory.createReader(properties, value).toEvent();
            } catch (RuntimeException e) {
                return; // not a CloudEvent: nothing for a device
            }
            command(event.getType(), Events.tenant(event), Events.partitionKey(event), () -> SessionFrames.frame(event),
                    event.getData() == null ? null : event.getData().toBytes());
            return;
        }
        command(properties.get(TYPE), properties.get(TENANT), properties.get(PARTITION_KEY), () -> StructuredJson.write(properties, value), value);
    }

    private static final String TYPE = PulsarProperties.propertyOf(CloudEventV1.TYPE);
    private static final String TENANT = PulsarProperties.propertyOf(Extensions.TENANT);
    private static final String PARTITION_KEY = PulsarProperties.propertyOf(Extensions.PARTITION_KEY);

    /** @param frame the event as a frame, written only when its device is held here */
    private void command(String type, String tenant, String deviceId, Supplier<byte[]> frame, byte[] data) {
        boolean dispatched = EventType.COMMAND_DISPATCHED.type().equals(type);
        if (!dispatched && !EventType.COMMAND_CANCELED.type().equals(type)) {
            return;
        }
        if (tenant == null || deviceId == null) {
            return;
        }
        DeviceSession to = devices.get(key(tenant, deviceId));
        if (to == null) {
            return; // another replica holds it, or it is offline: the commands function sends it again on device.connected
        }
        Runnable written = null;
        String commandId = dispatched ? commandId(data) : null;
        if (commandId != null) {
            written = () -> {
                delivered.incrementAndGet();
                CommandDelivered delivery = new CommandDelivered(commandId, deviceId, replica, 1, clock.instant());
                ingress.publish(Events.newEvent(EventType.COMMAND_DELIVERED, session.source(), tenant, deviceId, delivery).build(), tenant)
                        .exceptionally(failure -> {
                            LOG.warnf("command %s: delivered to device %s, not recorded: %s", commandId, deviceId,
                                    Failures.unwrap(failure).getMessage());
                            return null;
                        });
            };
        }
        send(to, frame.get(), written);
    }

    /**
     * The {@code commandId} of a dispatched command's JSON data, read without mapping the whole payload (on the path
     * every command takes); null when the data has none.
     */
    static String commandId(byte[] data) {
        if (data == null) {
            return null;
        }
        try (JsonParser json = EventJson.mapper().getFactory().createParser(data)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken token = json.nextToken();
                if (name.equals("commandId")) {
                    return token == JsonToken.VALUE_STRING ? json.getText() : null;
                }
                json.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private void send(DeviceSession to, byte[] frame, Runnable written) {
        if (to.send(frame, written)) {
            framesOut.increment();
        }
    }

    /** A presence topic's event: a device held here that connected to another replica since is no longer held here. */
    void presence(CloudEvent event) {
        if (!EventType.DEVICE_CONNECTED.type().equals(event.getType())) {
            return;
        }
        DevicePresence presence = Events.payload(event, DevicePresence.class);
        if (replica.equals(presence.gateway())) {
            return;
        }
        String tenant = Events.tenant(event);
        DeviceSession held = tenant == null ? null : devices.get(key(tenant, presence.deviceId()));
        if (held != null && !held.connectionId().equals(presence.connectionId()) && presence.at().isAfter(held.openedAt())) {
            held.supersede();
            held.close(DeviceSession.REPLACED, "replaced by a newer connection of this device (replica " + presence.gateway() + ")");
        }
    }

    /** A device topic's event: the registry's answer, relayed (with a credential) to the socket that asked. */
    void registration(CloudEvent event) {
        EventType type = EventType.fromType(event.getType()).orElse(null);
        String requestId;
        if (type == EventType.DEVICE_REGISTERED) {
            requestId = Events.payload(event, DeviceRegistered.class).requestId();
        } else if (type == EventType.DEVICE_REGISTRATION_REJECTED) {
            requestId = Events.payload(event, Rejection.class).requestId();
        } else {
            return;
        }
        PendingRegistration pending = requestId == null ? null : registrations.remove(requestId);
        if (pending == null) {
            return;
        }
        DeviceSession to = pending.session();
        send(to, SessionFrames.frame(event), null);
        if (type == EventType.DEVICE_REGISTERED) {
            DeviceRegistered registered = Events.payload(event, DeviceRegistered.class);
            send(to, session.credential(to.caller(), credentials.issue(registered.device().tenant(), registered.device().deviceId())), null);
        }
    }

    /**
     * One tick of the sweep, run {@code slots} times a ping interval: pings the sockets of slot {@code tick % slots} (a
     * socket's slot comes from its connection id, so 10,000 pings are spread over the interval instead of written in one
     * burst that holds up the commands behind it), closes every socket silent past {@code idleTimeout}, and gives up on
     * registrations past their time.
     */
    public void sweep(Duration idleTimeout, long tick, int slots, long nowNanos) {
        int slot = (int) Math.floorMod(tick, (long) slots);
        // the maps' own iterators, no copy: a socket closed on the way is removed under them, as they allow
        for (DeviceSession each : devices.values()) {
            sweep(each, idleTimeout, slot, slots, nowNanos);
        }
        for (DeviceSession each : enrolments.keySet()) {
            sweep(each, idleTimeout, slot, slots, nowNanos);
        }
        registrations.entrySet().removeIf(entry -> {
            if (entry.getValue().dueNanos() - nowNanos > 0) {
                return false;
            }
            refuse(entry.getValue().session(), new GatewayError(InboundFrames.UNAVAILABLE, "the registry did not answer within "
                    + registrationTimeout.toSeconds() + " s; send the registration again", entry.getKey(), List.of()));
            return true;
        });
    }

    private void sweep(DeviceSession each, Duration idleTimeout, int slot, int slots, long nowNanos) {
        if (each.silentNanos(nowNanos) > idleTimeout.toNanos()) {
            each.close(DeviceSession.GOING_AWAY, "idle: nothing heard for " + idleTimeout.toSeconds() + " s");
            closed(each, each.closeReason());
        } else if (Math.floorMod(each.connectionId().hashCode(), slots) == slot) {
            each.ping();
        }
    }

    /**
     * Graceful shutdown: every socket is told {@code gateway.draining}, every device's leaving is written, then
     * (after {@code grace} at most) every socket is closed with 1001; devices reconnect to another replica.
     */
    public void drain(Duration reconnectAfter, Duration grace) {
        draining = true;
        List<DeviceSession> all = new ArrayList<>(devices.values());
        all.addAll(enrolments.keySet());
        LOG.infof("draining %d socket(s) of replica %s", all.size(), replica);
        GatewayDraining drainingFrame = new GatewayDraining(reconnectAfter.toMillis(), "replica " + replica + " is shutting down");
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (DeviceSession each : all) {
            send(each, session.draining(each.caller(), drainingFrame), null);
            if (each.caller() instanceof Caller.Device && !each.superseded()) {
                each.supersede();
                writes.add(presence(each, EventType.DEVICE_DISCONNECTED, "draining").exceptionally(failure -> null));
            }
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("draining: not every device's leaving was written within %s", grace);
        }
        for (DeviceSession each : all) {
            each.close(DeviceSession.GOING_AWAY, "draining: reconnect to any replica");
        }
    }

    private CompletableFuture<Void> presence(DeviceSession of, EventType type, String reason) {
        Caller.Device device = (Caller.Device) of.caller();
        DevicePresence presence = new DevicePresence(device.deviceId(), replica, of.connectionId(), clock.instant(), reason);
        CloudEvent event = Events.newEvent(type, session.source(), device.tenant(), device.deviceId(), presence).build();
        boolean connected = type == EventType.DEVICE_CONNECTED;
        CompletableFuture<Void> row = publisher.producer(topics.presence(device.tenant())).thenCompose(producer ->
                producer.newMessage().key(device.deviceId()).value(connected ? EventJson.write(presence) : null).sendAsync())
                .thenApply(id -> null);
        return CompletableFuture.allOf(ingress.publish(event, device.tenant()), row);
    }

    private static String key(String tenant, String deviceId) {
        return tenant + '/' + deviceId;
    }
}
