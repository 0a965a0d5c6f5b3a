package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandTimings;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.events.session.GatewayDraining;
import io.autoglm.fleet.events.session.GatewayError;
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

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The simulated devices' sockets to the device gateway, kept as a device agent keeps its own: one WebSocket
 * per device speaking the CloudEvents WebSocket binding (structured mode, subprotocol {@value #SUBPROTOCOL}),
 * the tenant's enrolment token until the device is registered, then (on a new socket) the credential the gateway
 * issued; when a socket closes, or the gateway says it is draining, the device reconnects to the next replica
 * after a backoff with full jitter. Commands that come down are carried out by {@link CommandExecution} and
 * answered on the same socket (accepted, then completed, failed or declined); a command id already seen is
 * dropped (delivery is at-least-once). Every socket lives on one Vert.x event loop: thousands of devices
 * cost one thread, not one each.
 */
final class GatewayLinks implements AutoCloseable {

    static final String SUBPROTOCOL = "cloudevents.json";
    private static final String PATH = "/devices/v1";
    private static final int REMEMBERED_COMMANDS = 256;
    private static final long MIN_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 15_000;

    private final Vertx vertx;
    private final WebSocketClient client;
    private final List<URI> gateways;
    private final TenantTokens tokens;
    private final FleetStatus status;
    private final CommandExecution execution;
    private final EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
    private final Map<SimulatedDevice, Link> links = new ConcurrentHashMap<>();
    private final Queue<Enrolled> enrolled = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    GatewayLinks(List<URI> gateways, TenantTokens tokens, FleetStatus status, CommandExecution execution) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway URL is needed");
        }
        this.gateways = List.copyOf(gateways);
        this.tokens = Objects.requireNonNull(tokens);
        this.status = Objects.requireNonNull(status);
        this.execution = Objects.requireNonNull(execution);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(5_000).setMaxFrameSize(1 << 20)
                .setMaxMessageSize(8 << 20).setIdleTimeout(0));
    }

    /** A device the gateway registered and issued its credential, with its id. */
    record Enrolled(SimulatedDevice device, String deviceId) {
    }

    /** The next device enrolled since the last call (null when none waits). */
    Enrolled nextEnrolled() {
        return enrolled.poll();
    }

    /** Sends what a device says; a device whose socket is down connects first and its event goes once it is up. */
    void send(SimulatedDevice device, CloudEvent event) {
        Link link = links.computeIfAbsent(device, Link::new);
        link.send(json.serialize(event), event.getType().equals(EventType.DEVICE_REGISTRATION_REQUESTED.type()));
    }

    /** How many devices have a socket open now. */
    int connected() {
        return (int) links.values().stream().filter(link -> link.socket != null).count();
    }

    @Override
    public void close() {
        closing = true;
        links.values().forEach(Link::close);
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    /** A frame waiting for its socket; {@code enrolment}: a registration, which an enrolment connection carries. */
    private record Frame(byte[] bytes, boolean enrolment) {
    }

    /** One device's socket and what it remembers across reconnects. */
    private final class Link {
        private final SimulatedDevice device;
        /** What the device says while its socket is not open yet: only the newest few (a real agent drops stale heartbeats too). */
        private final ArrayDeque<Frame> waiting = new ArrayDeque<>();
        /** Commands this device has had, oldest first, with its final answer once it has one. */
        private final Map<String, CloudEvent> seen = new LinkedHashMap<>();
        private WebSocket socket;
        private boolean connecting;
        private String credential;
        /** The socket is open with the tenant's enrolment token: only the registration goes on it, the rest waits for the credential. */
        private boolean enrolling;
        private int gateway;
        private int failures;
        private int running;

        Link(SimulatedDevice device) {
            this.device = device;
            this.gateway = Math.floorMod(device.serial().hashCode(), gateways.size());
        }

        /** @param enrolment whether the frame is a registration (the one thing an enrolment connection may carry) */
        synchronized void send(byte[] frame, boolean enrolment) {
            if (socket != null && (enrolment || credential != null || !enrolling)) {
                write(socket, frame);
                return;
            }
            if (waiting.size() >= 4) {
                waiting.removeFirst();
                status.gatewayFrame(false);
            }
            waiting.addLast(new Frame(frame, enrolment));
            if (socket == null && !connecting) {
                connect(0);
            }
        }

        private void write(WebSocket to, byte[] frame) {
            to.writeTextMessage(new String(frame, StandardCharsets.UTF_8)).onComplete(written -> status.gatewayFrame(written.succeeded()));
        }

        private synchronized void connect(long delayMs) {
            if (closing) {
                return;
            }
            connecting = true;
            Runnable attempt = () -> {
                URI target = gateways.get(gateway);
                WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.getHost()).setPort(target.getPort())
                        .setURI(target.getPath() == null || target.getPath().isEmpty() ? PATH : target.getPath())
                        .addSubProtocol(SUBPROTOCOL)
                        .addHeader("Authorization", "Bearer " + (credential != null ? credential : tokens.token(device.tenant())));
                client.connect(options).onComplete(result -> {
                    if (result.succeeded()) {
                        opened(result.result());
                    } else {
                        retry();
                    }
                });
            };
            if (delayMs <= 0) {
                vertx.runOnContext(v -> attempt.run());
            } else {
                vertx.setTimer(delayMs, id -> attempt.run());
            }
        }

        private synchronized void opened(WebSocket opened) {
            socket = opened;
            connecting = false;
            failures = 0;
            status.gatewayConnected(+1);
            opened.textMessageHandler(this::received);
            opened.closeHandler(v -> closed(opened));
            opened.exceptionHandler(e -> { });
            enrolling = credential == null;
            for (var frames = waiting.iterator(); frames.hasNext(); ) {
                Frame frame = frames.next();
                if (frame.enrolment() || !enrolling) {
                    write(opened, frame.bytes());
                    frames.remove();
                }
            }
        }

        private synchronized void closed(WebSocket which) {
            if (socket != which) {
                return;
            }
            socket = null;
            status.gatewayConnected(-1);
            Short code = which.closeStatusCode();
            if (code != null && code == 1008 && credential != null) {
                credential = null; // refused: register again with the tenant's token
            }
            retry();
        }

        /** Next replica, exponential backoff with full jitter, so a replica's devices do not all come back at once. */
        private synchronized void retry() {
            if (closing) {
                return;
            }
            gateway = (gateway + 1) % gateways.size();
            connect(ThreadLocalRandom.current().nextLong(backoffCap(failures++).toMillis() + 1));
        }

        private void received(String text) {
            CloudEvent event;
            EventType type;
            try {
                event = json.deserialize(text.getBytes(StandardCharsets.UTF_8));
                type = Events.typeOf(event);
            } catch (RuntimeException e) {
                status.gatewayError("unreadable frame from the gateway");
                return;
            }
            switch (type) {
                case DEVICE_REGISTERED -> {
                    // the credential that follows makes the device what it is
                }
                case DEVICE_REGISTRATION_REJECTED -> status.registrationRejected(String.valueOf(Events.payload(event, Rejection.class).problems()));
                case DEVICE_CREDENTIAL_ISSUED -> {
                    DeviceCredential issued = Events.payload(event, DeviceCredential.class);
                    WebSocket enrolment;
                    synchronized (this) {
                        credential = issued.token();
                        enrolment = socket;
                    }
                    enrolled.add(new Enrolled(device, issued.deviceId()));
                    // an enrolment connection only registers: the device comes back as itself
                    if (enrolment != null) {
                        enrolment.close((short) 1000, "reconnecting with the device credential");
                    }
                }
                case COMMAND_DISPATCHED -> execute(Events.payload(event, CommandDispatched.class));
                case COMMAND_CANCELED -> status.commandCanceledOnDevice(Events.payload(event, CommandEnded.class).commandId());
                case GATEWAY_ERROR -> status.gatewayError(Events.payload(event, GatewayError.class).code());
                case GATEWAY_DRAINING -> {
                    GatewayDraining draining = Events.payload(event, GatewayDraining.class);
                    WebSocket current;
                    synchronized (this) {
                        current = socket;
                    }
                    if (current != null) {
                        vertx.setTimer(Math.max(1, ThreadLocalRandom.current().nextLong(draining.reconnectAfterMs() + 1)), id -> current.close());
                    }
                }
                default -> status.gatewayError("unexpected " + type.type() + " from the gateway");
            }
        }

        private void execute(CommandDispatched command) {
            boolean busy;
            synchronized (this) {
                if (seen.containsKey(command.commandId())) {
                    // delivered again (at-least-once): not run twice; its answer, if it has one, said again in case the first was lost
                    status.duplicateDelivery();
                    CloudEvent answered = seen.get(command.commandId());
                    if (answered != null) {
                        send(json.serialize(answered), false);
                    }
                    return;
                }
                seen.put(command.commandId(), null);
                if (seen.size() > REMEMBERED_COMMANDS) {
                    seen.remove(seen.keySet().iterator().next());
                }
                busy = running > 0;
            }
            Instant received = Instant.now();
            if (command.action().type() == AgentAction.OBSERVE) {
                // a screenshot is rendered (and PNG-encoded) off the event loop, which serves other devices' sockets
                vertx.<CommandExecution.Outcome>executeBlocking(() -> execution.execute(command.action(),
                                device.declaration().capabilities().supportedActions(), busy, device.phone()), false)
                        .onSuccess(outcome -> carryOut(command, received, outcome))
                        .onFailure(failure -> status.gatewayError("observation failed: " + failure));
                return;
            }
            carryOut(command, received, execution.execute(command.action(), device.declaration().capabilities().supportedActions(), busy,
                    device.phone()));
        }

        private void carryOut(CommandDispatched command, Instant received, CommandExecution.Outcome outcome) {
            if (outcome instanceof CommandExecution.Declined declined) {
                answer(EventType.COMMAND_DECLINED, new CommandDeclined(command.commandId(), command.deviceId(), declined.reason(), declined.message(),
                        received));
                return;
            }
            synchronized (this) {
                running++;
            }
            status.commandRun();
            answer(EventType.COMMAND_ACCEPTED, new CommandAccepted(command.commandId(), command.deviceId(), received));
            vertx.setTimer(Math.max(1, outcome.delay().toMillis()), id -> {
                synchronized (this) {
                    running--;
                }
                CommandTimings timings = new CommandTimings(received, received, Instant.now());
                if (outcome instanceof CommandExecution.Completed done) {
                    Observation observation = done.png() == null ? null
                            : new Observation(null, done.png(), done.width(), done.height(), done.currentApp(), false);
                    answer(EventType.COMMAND_COMPLETED, new CommandCompleted(command.commandId(), command.deviceId(), done.output(), observation, timings));
                } else if (outcome instanceof CommandExecution.Failed failed) {
                    answer(EventType.COMMAND_FAILED, new CommandFailed(command.commandId(), command.deviceId(), failed.reason(), failed.message(), timings));
                }
            });
        }

        /** The device's answer about a command addressed to it (its id is the command's: the fleet may not have heard of it yet). */
        private void answer(EventType type, Object payload) {
            CloudEvent event = Events.newEvent(type, URI.create("/devices/" + device.tenant() + "/" + device.serial()), device.tenant(),
                    null, payload).build();
            if (type != EventType.COMMAND_ACCEPTED) {
                String commandId = commandId(payload);
                synchronized (this) {
                    seen.replace(commandId, event);
                }
            }
            send(json.serialize(event), false);
        }

        private static String commandId(Object payload) {
            if (payload instanceof CommandCompleted completed) {
                return completed.commandId();
            }
            if (payload instanceof CommandFailed failed) {
                return failed.commandId();
            }
            return ((CommandDeclined) payload).commandId();
        }

        synchronized void close() {
            if (socket != null) {
                socket.close();
            }
        }
    }

    /** The longest wait before the next attempt after {@code failures} in a row: doubling from 250 ms, at most 15 s. */
    static Duration backoffCap(int failures) {
        return Duration.ofMillis(Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures, 8)));
    }
}
