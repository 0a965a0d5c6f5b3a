package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.routing.views.FleetViews;
import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Delivery;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.inference.InferenceDispatched;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.routing.InferencePlacement;
import io.autoglm.fleet.routing.Router;
import io.autoglm.fleet.routing.RoutingDecision;
import io.autoglm.fleet.routing.RoutingDecision.Refused;
import io.autoglm.fleet.routing.RoutingDecision.Routed;
import io.autoglm.fleet.routing.RoutingDecision.Target;
import io.autoglm.fleet.state.Reply;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the router function does with commands and inference requests, independent of HTTP: the {@link Router}'s
 * decision on the tenant's fleet, and the writes it calls for (a broadcast or a batch in one transaction, an
 * inference placed on a device command topic or handed to the cloud tier). {@link RouterFunction} is its Funqy shell.
 */
public final class RoutingService {

    static final URI SOURCE = URI.create("/autoglm/functions/router");

    private final Router router;
    private final FleetViews fleets;
    private final DeviceCommands commands;
    private final EventPublisher publisher;
    private final Clock clock;
    private final RoutingMemory memory;
    private final RoutingObserver observer;

    public RoutingService(Router router, FleetViews fleets, DeviceCommands commands, EventPublisher publisher, Clock clock) {
        this(router, fleets, commands, publisher, clock, new RoutingMemory(0, Duration.ZERO, clock), RoutingObserver.NONE);
    }

    /**
     * @param memory   the answers given lately, for requests delivered again
     * @param observer hears each decision and how long it took
     */
    RoutingService(Router router, FleetViews fleets, DeviceCommands commands, EventPublisher publisher, Clock clock, RoutingMemory memory,
                   RoutingObserver observer) {
        this.router = Objects.requireNonNull(router, "router");
        this.fleets = Objects.requireNonNull(fleets, "fleets");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.memory = Objects.requireNonNull(memory, "memory");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * A command: a unicast is answered with the {@code command.dispatched} keyed by its device (the reply is the
     * delivery); a broadcast is written to every matching device in one transaction.
     */
    public CompletableFuture<Reply> command(String requestId, String tenant, String partitionKey, CommandRequested command) {
        String asked = "command:" + command.commandId();
        Optional<Reply> earlier = memory.recall(tenant, asked);
        if (earlier.isPresent()) {
            observer.recalled(tenant);
            return CompletableFuture.completedFuture(earlier.get()); // delivered again: the same devices, nothing written twice
        }
        return decide(requestId, tenant, partitionKey, command).thenApply(reply -> remembered(tenant, asked, reply));
    }

    /** A dispatch is remembered; a rejection is not (the fleet may take the command when it comes again). */
    private Reply remembered(String tenant, String asked, Reply reply) {
        boolean routed = reply.type() == EventType.COMMAND_DISPATCHED || reply.type() == EventType.COMMAND_BATCH_DISPATCHED;
        return routed ? memory.remember(tenant, asked, reply) : reply;
    }

    private CompletableFuture<Reply> decide(String requestId, String tenant, String partitionKey, CommandRequested command) {
        return fleets.of(tenant).thenCompose(fleet -> {
            long started = System.nanoTime();
            RoutingDecision decision = router.route(fleet, command);
            observer.decided(tenant, RoutingObserver.Kind.COMMAND, System.nanoTime() - started);
            observer.command(tenant, RoutingObserver.Kind.COMMAND, command.strategy(), decision instanceof Routed);
            if (decision instanceof Refused refused) {
                return CompletableFuture.completedFuture(rejected(EventType.COMMAND_REJECTED, EventType.COMMAND_REQUESTED, requestId, tenant,
                        partitionKey, command.commandId(), refused.problems()));
            }
            if (command.delivery() == Delivery.BROADCAST && command.deviceId() == null) {
                List<CommandDispatched> members = broadcast(tenant, command, ((Routed) decision).targets());
                return commands.deliverAll(tenant, deliveries(members)).thenApply(done -> new Reply(EventType.COMMAND_BATCH_DISPATCHED,
                        new CommandBatchDispatched(command.commandId(), members), tenant, null));
            }
            List<CommandDispatched> dispatched = dispatched(tenant, command, null, ((Routed) decision).targets());
            CommandDispatched only = dispatched.get(0);
            return CompletableFuture.completedFuture(new Reply(EventType.COMMAND_DISPATCHED, only, tenant, only.deviceId()));
        });
    }

    /** A batch: every command routed and written in one transaction, or none and every reason. */
    public CompletableFuture<Reply> batch(String requestId, String tenant, String partitionKey, CommandBatchRequested batch) {
        String asked = "batch:" + batch.batchId();
        Optional<Reply> earlier = memory.recall(tenant, asked);
        if (earlier.isPresent()) {
            observer.recalled(tenant);
            return CompletableFuture.completedFuture(earlier.get());
        }
        return decide(requestId, tenant, partitionKey, batch).thenApply(reply -> remembered(tenant, asked, reply));
    }

    private CompletableFuture<Reply> decide(String requestId, String tenant, String partitionKey, CommandBatchRequested batch) {
        return fleets.of(tenant).thenCompose(fleet -> {
            long started = System.nanoTime();
            Router.Batch routed = router.routeBatch(fleet, batch);
            observer.decided(tenant, RoutingObserver.Kind.BATCH, System.nanoTime() - started);
            batch.commands().forEach(member -> observer.command(tenant, RoutingObserver.Kind.BATCH, member.strategy(), routed.routed()));
            if (!routed.routed()) {
                return CompletableFuture.completedFuture(rejected(EventType.COMMAND_BATCH_REJECTED, EventType.COMMAND_BATCH_REQUESTED, requestId,
                        tenant, partitionKey, batch.batchId(), routed.problems()));
            }
            List<CommandDispatched> dispatched = new ArrayList<>();
            for (int i = 0; i < batch.commands().size(); i++) {
                dispatched.addAll(dispatched(tenant, batch.commands().get(i), batch.batchId(), routed.targets().get(i)));
            }
            return commands.deliverAll(tenant, deliveries(dispatched)).thenApply(done -> new Reply(EventType.COMMAND_BATCH_DISPATCHED,
                    new CommandBatchDispatched(batch.batchId(), dispatched), tenant, null));
        });
    }

    /**
     * An inference request not yet placed ({@code placed} says whether it carries a {@code placement}; then it is
     * not the router's and gets no reply): placed on the asking device ({@code partitionKey}), an edge box or the
     * cloud tier, and passed on there with the placement set.
     */
    public CompletableFuture<Reply> inference(String requestId, URI source, String tenant, String partitionKey, boolean placed,
                                              InferenceRequested inference) {
        if (placed) {
            return CompletableFuture.completedFuture(null);
        }
        return fleets.of(tenant).thenCompose(fleet -> {
            long started = System.nanoTime();
            InferencePlacement placement = router.place(fleet, inference, partitionKey);
            observer.decided(tenant, RoutingObserver.Kind.INFERENCE, System.nanoTime() - started);
            observer.placed(tenant, placement.strategy(), placement.placement());
            String key = placement.deviceId() != null ? placement.deviceId() : partitionKey;
            CloudEvent passedOn = Events.newEvent(EventType.INFERENCE_REQUESTED, source, tenant, key, inference)
                    .withId(requestId)
                    .withExtension(Extensions.PLACEMENT, placement.placement().attributeValue())
                    .build();
            CompletableFuture<Void> sent = placement.placement() == Placement.CLOUD ? publisher.publish(passedOn) : commands.deliver(passedOn);
            InferenceDispatched answer = new InferenceDispatched(inference.requestId(), inference.model(), placement.placement(),
                    placement.deviceId(), placement.strategy(), placement.reason(), clock.instant());
            return sent.thenApply(done -> new Reply(EventType.INFERENCE_DISPATCHED, answer, tenant, key));
        });
    }

    private List<CommandDispatched> dispatched(String tenant, CommandRequested command, String batchId, List<Target> targets) {
        Instant now = clock.instant();
        Instant expires = command.ttlMs() == null ? null : now.plusMillis(command.ttlMs());
        List<CommandDispatched> dispatched = new ArrayList<>(targets.size());
        for (Target target : targets) {
            dispatched.add(new CommandDispatched(command.commandId(), batchId, target.deviceId(), tenant, target.placement(),
                    command.action(), command.strategy(), target.reason(), now, expires, command.timeoutMs()));
        }
        return dispatched;
    }

    /**
     * A broadcast's deliveries: a batch whose id is the command's, each device's copy a member of its own,
     * {@code <commandId>@<deviceId>}, so that each has its own state, result and deadlines and the batch an outcome.
     */
    private List<CommandDispatched> broadcast(String tenant, CommandRequested command, List<Target> targets) {
        return dispatched(tenant, command, command.commandId(), targets).stream()
                .map(copy -> new CommandDispatched(memberId(command.commandId(), copy.deviceId()), copy.batchId(), copy.deviceId(), tenant,
                        copy.placement(), copy.action(), copy.strategy(), copy.reason(), copy.dispatchedAt(), copy.expiresAt(), copy.timeoutMs()))
                .toList();
    }

    /** The command id of a broadcast's copy for one device. */
    static String memberId(String commandId, String deviceId) {
        return commandId + "@" + deviceId;
    }

    private List<CloudEvent> deliveries(List<CommandDispatched> dispatched) {
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
        return dispatched.stream().map(command -> Events.newEvent(EventType.COMMAND_DISPATCHED, SOURCE, command.tenant(), command.deviceId(), command)
                .withTime(now).build()).toList();
    }

    private static Reply rejected(EventType type, EventType requestType, String requestId, String tenant, String partitionKey, String subject,
                                  List<Problem> problems) {
        return new Reply(type, new Rejection(requestId, requestType.type(), subject, problems), tenant, partitionKey);
    }
}
