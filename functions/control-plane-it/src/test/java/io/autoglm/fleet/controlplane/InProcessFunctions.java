package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceDeregistrationRequested;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.functions.heartbeat.HeartbeatService;
import io.autoglm.fleet.functions.registry.RegistryService;
import io.autoglm.fleet.functions.router.FleetViews;
import io.autoglm.fleet.functions.router.RoutingService;
import io.autoglm.fleet.functions.router.pulsar.PulsarDeviceCommands;
import io.autoglm.fleet.functions.router.pulsar.PulsarHeartbeatFeed;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.liveness.LivenessPolicy;
import io.autoglm.fleet.registry.AgentVersion;
import io.autoglm.fleet.registry.DeclarationRules;
import io.autoglm.fleet.registry.DeviceIdentity;
import io.autoglm.fleet.registry.Registrar;
import io.autoglm.fleet.routing.Router;
import io.autoglm.fleet.routing.RouterPolicy;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.state.FleetState;
import io.autoglm.fleet.state.RegisteredDevice;
import io.autoglm.fleet.state.pulsar.PulsarStateTopic;
import io.autoglm.fleet.state.Reply;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions' services (what each Funqy method delegates to) in this JVM, each with its own Pulsar state
 * tables, timers and writers as its process would have, fed by the data plane without HTTP. The decisions,
 * the state on the broker and the event flow are those of the deployed functions; only the HTTP hop (and the
 * edge validation in it) is left out, so that a thousand devices fit on a small shared machine.
 */
final class InProcessFunctions extends ControlPlane {

    private static final URI SOURCE = URI.create("/autoglm/functions/in-process");

    private final FleetState registryState;
    private final PulsarStateTopic<RegisteredDevice> heartbeatRegistry;
    private final PulsarStateTopic<DeviceStatusChanged> heartbeatLiveness;
    private final FleetState routerState;
    private final HeartbeatService heartbeat;
    private final PulsarHeartbeatFeed loadReports;
    private final PulsarDeviceCommands commands;

    InProcessFunctions(PulsarEndpoints endpoints, List<String> tenants) throws Exception {
        super(endpoints);
        Clock clock = Clock.systemUTC();
        registryState = FleetState.onPulsar(client, topics);
        heartbeatRegistry = PulsarStateTopic.registrations(client, topics);
        heartbeatLiveness = PulsarStateTopic.liveness(client, topics);
        routerState = FleetState.onPulsar(client, topics);
        RegistryService registry = new RegistryService(new Registrar(new DeviceIdentity("control-plane-it-fingerprint-key".getBytes(StandardCharsets.UTF_8)),
                new DeclarationRules(AgentVersion.parse("1.0.0"))), registryState, clock);
        heartbeat = new HeartbeatService(new LivenessEvaluator(tenant -> LivenessPolicy.DEFAULT, clock.millis()), heartbeatRegistry,
                heartbeatLiveness, publisher, clock);
        loadReports = new PulsarHeartbeatFeed(client, topics);
        commands = new PulsarDeviceCommands(client, topics, Duration.ofSeconds(30));
        RoutingService router = new RoutingService(new Router(RouterPolicy.DEFAULT, ThreadLocalRandom::current),
                new FleetViews(routerState, loadReports), commands, publisher, clock);

        route(tenants, message -> {
            CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
            return reply(EventType.DEVICE_DEREGISTRATION_REQUESTED.type().equals(event.getType())
                    ? registry.deregister(event.getId(), Events.tenant(event), Events.partitionKey(event),
                    Events.payload(event, DeviceDeregistrationRequested.class))
                    : registry.register(event.getId(), Events.tenant(event), Events.partitionKey(event), Events.payload(event, DeviceDeclaration.class)));
        }, message -> {
            CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
            return reply(EventType.DEVICE_LIVENESS_DEADLINE.type().equals(event.getType())
                    ? heartbeat.deadline(Events.tenant(event), Events.payload(event, LivenessDeadline.class))
                    : heartbeat.heartbeat(event.getId(), Events.tenant(event), Events.payload(event, DeviceHeartbeat.class)));
        }, message -> {
            CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
            String tenant = Events.tenant(event);
            String key = Events.partitionKey(event);
            if (EventType.COMMAND_BATCH_REQUESTED.type().equals(event.getType())) {
                return reply(router.batch(event.getId(), tenant, key, Events.payload(event, CommandBatchRequested.class)));
            }
            if (EventType.INFERENCE_REQUESTED.type().equals(event.getType())) {
                return reply(router.inference(event.getId(), event.getSource(), tenant, key, event.getExtension(Extensions.PLACEMENT) != null,
                        Events.payload(event, InferenceRequested.class)));
            }
            return reply(router.command(event.getId(), tenant, key, Events.payload(event, CommandRequested.class)));
        });
    }

    private static CompletableFuture<CloudEvent> reply(CompletableFuture<Reply> reply) {
        return reply.thenApply(r -> r == null ? null : Events.newEvent(r.type(), SOURCE, r.tenant(), r.partitionKey(), r.payload()).build());
    }

    @Override
    double messagesPerHeartbeat() {
        return heartbeat.evaluator().counters().messagesPerHeartbeat();
    }

    @Override
    String heartbeatCounters() {
        LivenessEvaluator.Counters c = heartbeat.evaluator().counters();
        return String.format(java.util.Locale.ROOT, "heartbeats %d, duplicates %d, out of order %d, unknown devices %d, deadlines fired %d,"
                        + " scheduled %d, superseded %d, postponed %d, transitions %d, messages per heartbeat %.3f", c.heartbeats(), c.duplicates(),
                c.outOfOrder(), heartbeat.unknownDevices(), c.deadlinesFired(), c.deadlinesScheduled(), c.superseded(), c.postponed(),
                c.transitions(), c.messagesPerHeartbeat());
    }

    @Override
    Map<String, Long> residentMegabytes() {
        return Map.of();
    }

    @Override
    String describe() {
        return "the functions' services in the test JVM (no HTTP hop), each with its own Pulsar tables and writers";
    }

    @Override
    public void close() throws Exception {
        super.close();
        commands.close();
        loadReports.close();
        routerState.close();
        heartbeatLiveness.close();
        heartbeatRegistry.close();
        registryState.close();
    }
}
