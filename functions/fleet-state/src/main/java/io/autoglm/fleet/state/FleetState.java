package io.autoglm.fleet.state;

import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.state.pulsar.PulsarStateTopic;
import org.apache.pulsar.client.api.PulsarClient;

import java.util.Objects;

/**
 * The control plane's state, as the registry, heartbeat and router functions share it: the registry
 * ({@code DeviceRecord} per device id, tombstoned on deregistration) and each device's liveness as of its
 * last transition ({@code DeviceStatusChanged} per device id), one compacted topic per tenant each.
 */
public record FleetState(StateTopic<DeviceRecord> registry, StateTopic<DeviceStatusChanged> liveness) implements AutoCloseable {

    public FleetState {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(liveness, "liveness");
    }

    /** Both on Pulsar, at the topics {@link Topics#registry} and {@link Topics#liveness} name; tables open on first use. */
    public static FleetState onPulsar(PulsarClient client, Topics topics) {
        return new FleetState(PulsarStateTopic.registry(client, topics), PulsarStateTopic.liveness(client, topics));
    }

    @Override
    public void close() {
        registry.close();
        liveness.close();
    }
}
