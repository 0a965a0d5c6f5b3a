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
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.functions.heartbeat.HeartbeatService;
import io.autoglm.fleet.functions.registry.RegistryService;
import io.autoglm.fleet.routing.views.FleetViews;
import io.autoglm.fleet.functions.router.RoutingService;
import io.autoglm.fleet.functions.router.pulsar.PulsarDeviceCommands;
import io.autoglm.fleet.routing.views.pulsar.PulsarHeartbeatFeed;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The functions' services (what each Funqy method delegates to) in this JVM, each with its own Pulsar state
 * tables, timers and writers as its process would have, fed by the dispatcher through {@link InProcessSubscriber}
 * (the real delivery engine, the edge's contract check, no socket). The decisions, the state on the broker and the
 * event flow are those of the deployed functions; only the HTTP hop is left out, so that a thousand devices fit on a
 * small shared machine.
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

    InProcessFunctions(PulsarEndpoints endpoints) throws Exception {
        super(endpoints);
        Clock clock = Clock.systemUTC();
        registryState = FleetState.onPulsar(client, topics);
        heartbeatRegistry = PulsarStateTopic.registrations(client, topics);
        heartbeatLiveness = PulsarStateTopic.liveness(client, topics).writtenHere();
        routerState = FleetState.onPulsar(client, topics);
        RegistryService registry = new RegistryService(new Registrar(new DeviceIdentity("control-plane-it-fingerprint-key".getBytes(StandardCharsets.UTF_8)),
                new DeclarationRules(AgentVersion.parse("1.0.0"))), registryState, clock);
        heartbeat = new HeartbeatService(new LivenessEvaluator(tenant -> LivenessPolicy.DEFAULT, clock.millis()), heartbeatRegistry,
                heartbeatLiveness, publisher, clock);
        loadReports = new PulsarHeartbeatFeed(client, topics);
        commands = new PulsarDeviceCommands(client, topics, Duration.ofSeconds(30));
        RoutingService router = new RoutingService(new Router(RouterPolicy.DEFAULT, ThreadLocalRandom::current),
                new FleetViews(routerState, loadReports), commands, publisher, clock);

        Map<String, InProcessSubscriber.Function> functions = Map.of(
                "registry", event -> EventType.DEVICE_DEREGISTRATION_REQUESTED.type().equals(event.getType())
                        ? registry.deregister(event.getId(), Events.tenant(event), Events.partitionKey(event),
                        Events.payload(event, DeviceDeregistrationRequested.class))
                        : registry.register(event.getId(), Events.tenant(event), Events.partitionKey(event),
                        Events.payload(event, DeviceDeclaration.class)),
                "heartbeat", event -> EventType.DEVICE_LIVENESS_DEADLINE.type().equals(event.getType())
                        ? heartbeat.deadline(Events.tenant(event), Events.payload(event, LivenessDeadline.class))
                        : heartbeat.heartbeat(event.getId(), Events.tenant(event), Events.payload(event, DeviceHeartbeat.class)),
                "router", event -> route(router, event));
        Map<String, URI> addresses = new HashMap<>();
        functions.keySet().forEach(name -> addresses.put(name, URI.create("in-process://" + name)));
        dispatch(addresses, trigger -> new InProcessSubscriber(SOURCE, functions.get(trigger.name())));
    }

    private static CompletableFuture<Reply> route(RoutingService router, CloudEvent event) {
        String tenant = Events.tenant(event);
        String key = Events.partitionKey(event);
        if (EventType.COMMAND_BATCH_REQUESTED.type().equals(event.getType())) {
            return router.batch(event.getId(), tenant, key, Events.payload(event, CommandBatchRequested.class));
        }
        if (EventType.INFERENCE_REQUESTED.type().equals(event.getType())) {
            return router.inference(event.getId(), event.getSource(), tenant, key, event.getExtension(Extensions.PLACEMENT) != null,
                    Events.payload(event, InferenceRequested.class));
        }
        return router.command(event.getId(), tenant, key, Events.payload(event, CommandRequested.class));
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
