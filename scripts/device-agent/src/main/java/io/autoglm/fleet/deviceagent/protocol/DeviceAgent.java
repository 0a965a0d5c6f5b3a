package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.deviceagent.backend.BackendException;
import io.autoglm.fleet.deviceagent.backend.DeviceBackend;
import io.autoglm.fleet.deviceagent.backend.DeviceFacts;
import io.autoglm.fleet.deviceagent.backend.DeviceVitals;
import io.autoglm.fleet.deviceagent.backend.Screen;
import io.autoglm.fleet.deviceagent.backend.Screenshot;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandTimings;
import io.autoglm.fleet.events.command.DeclineReason;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.events.session.GatewayDraining;
import io.autoglm.fleet.events.session.GatewayError;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongUnaryOperator;

/**
 * The device's side of the device loop, over one socket to a gateway at a time. Without a credential it
 * connects with the tenant's enrolment token, declares the device ({@code device.registration.requested},
 * from what the backend reads off the phone), waits for {@code device.registered} and
 * {@code device.credential.issued}, keeps the credential in the state directory and reconnects with it.
 * With a credential it heartbeats ({@code device.heartbeat}) and takes the commands that come down
 * ({@code command.dispatched}): each id once (delivery is at-least-once), one at a time with a few
 * waiting, answered {@code command.accepted} then {@code command.completed} / {@code command.failed}, or
 * {@code command.declined} when the action is not supported or the device is busy; {@code command.canceled}
 * drops the command. A closed socket or {@code gateway.draining} means reconnect, after a backoff with
 * full jitter.
 *
 * <p>All protocol state lives on one thread (the agent's loop); the backend's actions run on the
 * worker's, its vitals on a third, so a slow phone never holds up the socket.
 */
public final class DeviceAgent implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DeviceAgent.class.getName());
    /** Command answers kept for a repeated delivery, and frames kept while the socket is down. */
    private static final int KEPT_ANSWERS = 64;
    private static final int WAITING_FRAMES = 64;
    /** The gateway's close code for a socket that a newer connection of the same device replaced. */
    static final int REPLACED = 4001;
    /** The largest screenshot sent inline: its base64 (4/3 of it) stays well inside the gateway's 8 MiB frame. */
    static final int MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024;

    private final AgentSettings settings;
    private final DeviceBackend backend;
    private final GatewayConnector connector;
    private final StateDirectory state;
    private final Clock clock;
    private final LongUnaryOperator uniform;
    private final ReconnectBackoff backoff;
    private final ScheduledExecutorService loop;
    private final ExecutorService vitalsReader;
    private final CommandWorker worker;
    private final CommandsTaken taken;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Map<String, String> answers = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEPT_ANSWERS;
        }
    };
    private final ArrayDeque<String> waitingFrames = new ArrayDeque<>();
    /** What the socket of the attempt under way said before its opening was seen (a transport may do that). */
    private final ArrayDeque<Runnable> early = new ArrayDeque<>();
    private final String tenant;

    // loop-confined
    private StoredCredential credential;
    private GatewayConnection connection;
    private long connectionNumber;
    private boolean ready;
    private boolean closing;
    private String registrationId;
    private String registeredDeviceId;
    private DeviceFacts facts;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> registrationDeadline;
    private long heartbeatSeq;
    private volatile Double rttMs;
    private final AtomicBoolean readingVitals = new AtomicBoolean();

    /**
     * @param uniform draws a number in {@code [0, bound]}: the jitter of reconnects and of draining
     */
    public DeviceAgent(AgentSettings settings, DeviceBackend backend, GatewayConnector connector, StateDirectory state, Clock clock,
                       LongUnaryOperator uniform) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.uniform = Objects.requireNonNull(uniform, "uniform");
        this.backoff = new ReconnectBackoff(settings.backoffBase(), settings.backoffCap(), uniform);
        this.credential = state.credential().orElse(null);
        this.tenant = tenantOf(settings, credential, state);
        this.heartbeatSeq = state.heartbeatSeq();
        this.taken = new CommandsTaken(settings.rememberedCommands(), state);
        this.loop = Executors.newSingleThreadScheduledExecutor(daemon("device-agent-loop"));
        this.vitalsReader = Executors.newSingleThreadExecutor(daemon("device-agent-vitals"));
        this.worker = new CommandWorker(backend, settings.waitingCommands(), loop, clock,
                (job, result) -> onLoop(() -> finished(job, result)));
    }

    private static String tenantOf(AgentSettings settings, StoredCredential credential, StateDirectory state) {
        if (settings.tenant() != null) {
            return settings.tenant();
        }
        if (credential != null) {
            return credential.tenant();
        }
        if (settings.enrolmentToken() == null) {
            throw new IllegalArgumentException("no enrolment token to register with, and no device credential in " + state.path());
        }
        String claimed = Declarations.tenantClaim(settings.enrolmentToken());
        if (claimed == null) {
            throw new IllegalArgumentException("which tenant? the enrolment token has no 'tenant' claim; pass the tenant explicitly");
        }
        return claimed;
    }

    /** Starts connecting; the future completes when the agent is closed, or fails when it cannot go on. */
    public CompletableFuture<Void> start() {
        loop.execute(() -> connect(Duration.ZERO));
        return stopped;
    }

    /** The device id, once registered (from the stored credential after a restart); null before. */
    public String deviceId() {
        StoredCredential known = state.credential().orElse(null);
        return known == null ? null : known.deviceId();
    }

    // ---- connecting

    private void connect(Duration delay) {
        if (closing) {
            return;
        }
        long number = ++connectionNumber;
        loop.schedule(() -> attempt(number), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void attempt(long number) {
        if (closing || number != connectionNumber) {
            return;
        }
        if (credential != null && credential.expired(clock.instant())) {
            LOG.log(System.Logger.Level.INFO, "the device credential expired at {0}; registering again", credential.expiresAt());
            forgetCredential();
        }
        String bearer = credential != null ? credential.token() : settings.enrolmentToken();
        if (bearer == null) {
            stop(new AgentStoppedException("no device credential in " + state.path() + " and no enrolment token to register with"));
            return;
        }
        boolean withCredential = credential != null;
        connector.connect(settings.gateway(), bearer, new Listener(number))
                .whenComplete((opened, failure) -> onLoop(() -> {
                    if (failure == null) {
                        opened(number, opened);
                    } else {
                        connectFailed(number, withCredential, failure);
                    }
                }));
    }

    private void opened(long number, GatewayConnection opened) {
        if (closing || number != connectionNumber) {
            opened.close(1000, closing ? "agent stopping" : "superseded");
            return;
        }
        connection = opened;
        if (credential != null) {
            LOG.log(System.Logger.Level.INFO, "connected to {0} as device {1}", settings.gateway(), credential.deviceId());
            ready = true;
            backoff.reset();
            while (!waitingFrames.isEmpty()) {
                opened.send(waitingFrames.removeFirst());
            }
            long every = settings.heartbeatInterval().toMillis();
            heartbeats = loop.scheduleAtFixedRate(this::heartbeat, 0, every, TimeUnit.MILLISECONDS);
        } else {
            register(opened);
        }
        while (!early.isEmpty() && connection == opened) {
            early.removeFirst().run();
        }
        early.clear();
    }

    private void connectFailed(long number, boolean withCredential, Throwable failure) {
        if (closing || number != connectionNumber) {
            return;
        }
        early.clear();
        Throwable cause = unwrap(failure);
        if (cause instanceof HandshakeRefusedException refused && refused.unauthorised()) {
            if (withCredential) {
                LOG.log(System.Logger.Level.WARNING, "the gateway refused the device credential ({0}); registering again", refused.getMessage());
                forgetCredential();
            } else {
                stop(new AgentStoppedException("the gateway refused the enrolment token: " + refused.getMessage()));
                return;
            }
        }
        Duration wait = backoff.next();
        LOG.log(System.Logger.Level.INFO, "cannot reach {0} ({1}); next attempt in {2} ms", settings.gateway(), describe(cause), wait.toMillis());
        connect(wait);
    }

    /** The socket is gone (closed, broken, or let go by us): forget it, and connect again after {@code wait}. */
    private void lost(Duration wait) {
        ready = false;
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
        if (registrationDeadline != null) {
            registrationDeadline.cancel(false);
            registrationDeadline = null;
        }
        connection = null;
        early.clear();
        connect(wait);
    }

    /** Lets the socket go ourselves, then connects again after {@code wait}. */
    private void reconnect(int code, String reason, Duration wait) {
        GatewayConnection current = connection;
        if (current != null) {
            current.close(code, reason);
        }
        lost(wait);
    }

    private void closed(long number, int code, String reason) {
        if (deferred(number, () -> closed(number, code, reason))) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "the gateway closed the socket: {0} {1}", code, reason);
        if (code == REPLACED) {
            // this agent's own reconnects never replace its current socket: another process speaks for this device
            connection = null;
            stop(new AgentStoppedException("another connection of device " + (credential == null ? "?" : credential.deviceId())
                    + " replaced this one (" + reason + "): is a second agent running for this phone?"));
            return;
        }
        if (code == 1008 && credential != null) {
            LOG.log(System.Logger.Level.WARNING, "the gateway refused this device's credential; registering again");
            forgetCredential();
        }
        lost(backoff.next());
    }

    private void broken(long number, Throwable cause) {
        if (deferred(number, () -> broken(number, cause))) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "the socket broke: {0}", describe(cause));
        lost(backoff.next());
    }

    private void forgetCredential() {
        credential = null;
        state.forgetCredential();
    }

    // ---- registering

    private void register(GatewayConnection opened) {
        DeviceDeclaration declaration;
        try {
            if (facts == null) {
                facts = backend.declaration();
            }
            declaration = Declarations.declaration(tenant, facts, backend.supportedActions(), settings, bridge());
        } catch (BackendException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the device to declare it: {0}", e.getMessage());
            reconnect(1000, "the device cannot be read", backoff.next());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        registrationId = UUID.randomUUID().toString();
        registeredDeviceId = null;
        opened.send(Frames.write(Events.newEvent(EventType.DEVICE_REGISTRATION_REQUESTED, source(), tenant, null, declaration)
                .withId(registrationId).build()));
        LOG.log(System.Logger.Level.INFO, "asked to register {0} {1} ({2}) as tenant {3}", facts.platform(), facts.model(), backend.serial(), tenant);
        registrationDeadline = loop.schedule(() -> {
            if (connection == opened && credential == null) {
                LOG.log(System.Logger.Level.WARNING, "no answer to the registration within {0} ms; trying again", settings.registrationTimeout().toMillis());
                reconnect(1000, "registration timed out", backoff.next());
            }
        }, settings.registrationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private String bridge() {
        return switch (backend.platform()) {
            case ANDROID -> "adb";
            case HARMONYOS -> "hdc";
            default -> backend.platform().name().toLowerCase(Locale.ROOT);
        };
    }

    private void registered(DeviceRegistered registered) {
        if (registrationId != null && registrationId.equals(registered.requestId())) {
            registeredDeviceId = registered.device().deviceId();
            LOG.log(System.Logger.Level.INFO, "registered as device {0} ({1})", registeredDeviceId, registered.outcome());
        }
    }

    private void rejected(Rejection rejection) {
        if (registrationId != null && registrationId.equals(rejection.requestId())) {
            stop(new AgentStoppedException("the registry refused this device: " + rejection.problems()));
        } else {
            LOG.log(System.Logger.Level.INFO, "ignored the rejection of {0}, not this agent's registration", rejection.requestId());
        }
    }

    private void credentialIssued(DeviceCredential issued) {
        if (registeredDeviceId != null && !registeredDeviceId.equals(issued.deviceId())) {
            LOG.log(System.Logger.Level.WARNING, "a credential for device {0} after registering as {1}; taking it", issued.deviceId(), registeredDeviceId);
        }
        credential = new StoredCredential(tenant, issued.deviceId(), issued.token(), issued.expiresAt());
        state.saveCredential(credential);
        registrationId = null;
        backoff.reset();
        reconnect(1000, "reconnecting with the device credential", Duration.ZERO);
    }

    // ---- heartbeats

    private void heartbeat() {
        if (!ready || connection == null || !readingVitals.compareAndSet(false, true)) {
            return; // a slow phone: the reading under way sends this heartbeat when it is done
        }
        vitalsReader.execute(() -> {
            DeviceVitals vitals;
            try {
                vitals = backend.vitals();
            } catch (BackendException e) {
                LOG.log(System.Logger.Level.WARNING, "no heartbeat: the device cannot be read ({0})", e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                readingVitals.set(false);
            }
            onLoop(() -> sendHeartbeat(vitals));
        });
    }

    /** Sends a heartbeat on the socket open now (the reading may have started on an earlier one). */
    private void sendHeartbeat(DeviceVitals vitals) {
        GatewayConnection to = connection;
        if (!ready || to == null || credential == null) {
            return;
        }
        long seq = ++heartbeatSeq;
        state.saveHeartbeatSeq(seq);
        String deviceId = credential.deviceId();
        DeviceHeartbeat payload = new DeviceHeartbeat(deviceId, seq, clock.instant(),
                new DeviceLoad(vitals.cpuLoad(), vitals.memoryUsed(), null, worker.depth()), vitals.battery(), rttMs);
        to.send(Frames.write(Events.newEvent(EventType.DEVICE_HEARTBEAT, source(), tenant, deviceId, payload)
                .withId(deviceId + "-hb-" + seq).build()));
        to.ping().whenComplete((rtt, e) -> {
            if (rtt != null) {
                rttMs = rtt.toNanos() / 1e6;
            }
        });
    }

    // ---- commands

    private void dispatched(CommandDispatched command) {
        String id = command.commandId();
        if (taken.contains(id) || worker.holds(id)) {
            String answer = answers.get(id);
            LOG.log(System.Logger.Level.INFO, "command {0} came again; {1}", id, answer == null ? "already taken" : "answering as before");
            if (answer != null) {
                send(answer);
            }
            return;
        }
        Instant received = clock.instant();
        if (command.expiresAt() != null && received.isAfter(command.expiresAt())) {
            LOG.log(System.Logger.Level.INFO, "command {0} expired at {1} before it arrived; dropped", id, command.expiresAt());
            taken.add(id);
            return;
        }
        if (closing) {
            decline(command, DeclineReason.SHUTTING_DOWN, "the agent is stopping", received);
            return;
        }
        if (!backend.supportedActions().contains(command.action().type())) {
            decline(command, DeclineReason.UNSUPPORTED_ACTION, command.action().type().wireName() + " is not supported on this "
                    + backend.platform() + " device (it declares " + backend.supportedActions().stream().sorted()
                    .map(AgentAction::wireName).toList() + ")", received);
            taken.add(id);
            return;
        }
        Duration timeout = command.timeoutMs() == null ? null : Duration.ofMillis(command.timeoutMs());
        if (!worker.offer(new CommandWorker.Job(id, command.action(), timeout, received))) {
            decline(command, DeclineReason.BUSY, "busy: one command runs and " + settings.waitingCommands() + " wait", received);
            return;
        }
        taken.add(id);
        answer(id, EventType.COMMAND_ACCEPTED, new CommandAccepted(id, credential.deviceId(), received));
    }

    private void decline(CommandDispatched command, DeclineReason reason, String message, Instant at) {
        answer(command.commandId(), EventType.COMMAND_DECLINED, new CommandDeclined(command.commandId(), deviceId(command), reason, message, at));
    }

    private String deviceId(CommandDispatched command) {
        return credential != null ? credential.deviceId() : command.deviceId();
    }

    private void canceled(CommandEnded ended) {
        boolean held = worker.cancel(ended.commandId());
        taken.add(ended.commandId());
        answers.remove(ended.commandId());
        LOG.log(System.Logger.Level.INFO, "command {0} canceled ({1}); {2}", ended.commandId(), ended.reason(), held ? "dropped" : "it was not here");
    }

    private void finished(CommandWorker.Job job, CommandWorker.Result result) {
        if (credential == null) {
            return;
        }
        String deviceId = credential.deviceId();
        if (result instanceof CommandWorker.Result.Done done) {
            CommandTimings timings = new CommandTimings(job.receivedAt(), done.startedAt(), done.finishedAt());
            answer(job.commandId(), EventType.COMMAND_COMPLETED,
                    new CommandCompleted(job.commandId(), deviceId, done.outcome().output(), observation(done.outcome().screen()), timings));
        } else if (result instanceof CommandWorker.Result.Failed failed) {
            CommandTimings timings = new CommandTimings(job.receivedAt(), failed.startedAt(), failed.finishedAt());
            answer(job.commandId(), EventType.COMMAND_FAILED, new CommandFailed(job.commandId(), deviceId, failed.reason(), failed.message(), timings));
        }
    }

    /** The screen as the socket carries it: the PNG inline (the gateway stores it), or sensitive. */
    static Observation observation(Screen screen) {
        if (screen == null) {
            return null;
        }
        if (screen.screenshot() instanceof Screenshot.Captured shot) {
            Screenshot.Captured captured = shot.fitWithin(MAX_SCREENSHOT_BYTES);
            return new Observation(null, Base64.getEncoder().encodeToString(captured.png()), captured.width(), captured.height(),
                    screen.currentApp(), false);
        }
        return Observation.sensitive(screen.currentApp());
    }

    /** A device's word about one of its commands: kept for a repeated delivery, sent now or once the socket is back. */
    private void answer(String commandId, EventType type, Object payload) {
        String frame = Frames.write(Events.newEvent(type, source(), tenant, credential == null ? null : credential.deviceId(), payload).build());
        answers.put(commandId, frame);
        send(frame);
    }

    private void send(String frame) {
        if (ready && connection != null) {
            connection.send(frame);
            return;
        }
        if (waitingFrames.size() >= WAITING_FRAMES) {
            waitingFrames.removeFirst();
        }
        waitingFrames.addLast(frame);
    }

    // ---- frames in

    /**
     * Whether a socket event is not for now: from an earlier connection (dropped), or from the attempt under
     * way before its opening was handled (kept for when it is).
     */
    private boolean deferred(long number, Runnable event) {
        if (number != connectionNumber) {
            return true;
        }
        if (connection == null) {
            early.addLast(event);
            return true;
        }
        return false;
    }

    private void frame(long number, String text) {
        if (deferred(number, () -> frame(number, text))) {
            return;
        }
        CloudEvent event;
        EventType type;
        try {
            event = Frames.read(text);
            type = Events.typeOf(event);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "an unreadable frame from the gateway: {0}", e.getMessage());
            return;
        }
        try {
            switch (type) {
                case DEVICE_REGISTERED -> registered(Events.payload(event, DeviceRegistered.class));
                case DEVICE_CREDENTIAL_ISSUED -> credentialIssued(Events.payload(event, DeviceCredential.class));
                case DEVICE_REGISTRATION_REJECTED -> rejected(Events.payload(event, Rejection.class));
                case COMMAND_DISPATCHED -> {
                    if (ready) {
                        dispatched(Events.payload(event, CommandDispatched.class));
                    }
                }
                case COMMAND_CANCELED -> canceled(Events.payload(event, CommandEnded.class));
                case GATEWAY_DRAINING -> draining(Events.payload(event, GatewayDraining.class));
                case GATEWAY_ERROR -> {
                    GatewayError error = Events.payload(event, GatewayError.class);
                    LOG.log(System.Logger.Level.WARNING, "the gateway refused a frame ({0}, event {1}): {2} {3}", error.code(), error.eventId(),
                            error.message(), error.problems());
                }
                default -> LOG.log(System.Logger.Level.INFO, "ignored a {0} from the gateway", type.type());
            }
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "an unreadable {0} from the gateway: {1}", type.type(), e.getMessage());
        }
    }

    /** The replica is going away: leave after a jittered share of the time it gives, then connect again at once. */
    private void draining(GatewayDraining draining) {
        GatewayConnection current = connection;
        long after = Math.max(0, Math.min(draining.reconnectAfterMs(), uniform.applyAsLong(Math.max(0, draining.reconnectAfterMs()))));
        LOG.log(System.Logger.Level.INFO, "the gateway is draining ({0}); reconnecting in {1} ms", draining.reason(), after);
        loop.schedule(() -> {
            if (connection == current && current != null) {
                reconnect(1000, "the gateway is draining", Duration.ZERO);
            }
        }, after, TimeUnit.MILLISECONDS);
    }

    private URI source() {
        return URI.create("/device-agents/" + tenant + "/" + backend.serial().replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    private void stop(AgentStoppedException why) {
        LOG.log(System.Logger.Level.ERROR, why.getMessage());
        closing = true;
        GatewayConnection current = connection;
        if (current != null) {
            current.close(1000, "agent stopping");
        }
        stopped.completeExceptionally(why);
    }

    @Override
    public void close() {
        if (loop.isShutdown()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> {
            closing = true;
            if (connection != null) {
                connection.close(1001, "agent stopping");
                connection = null;
            }
            done.complete(null);
        });
        done.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        worker.close();
        loop.shutdownNow();
        vitalsReader.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped.complete(null);
    }

    /** Hands work to the loop; once the agent is closed there is no loop and nothing left to do. */
    private void onLoop(Runnable work) {
        try {
            loop.execute(work);
        } catch (RejectedExecutionException closed) {
            // the agent is closed
        }
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The socket's events, each handed to the loop with the number of the connection it belongs to. */
    private final class Listener implements GatewayListener {
        private final long number;

        Listener(long number) {
            this.number = number;
        }

        @Override
        public void onFrame(String frame) {
            onLoop(() -> frame(number, frame));
        }

        @Override
        public void onClosed(int code, String reason) {
            onLoop(() -> closed(number, code, reason));
        }

        @Override
        public void onBroken(Throwable cause) {
            onLoop(() -> broken(number, cause));
        }
    }
}
