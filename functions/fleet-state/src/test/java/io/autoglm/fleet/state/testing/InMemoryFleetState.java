package io.autoglm.fleet.state.testing;

import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.state.FleetState;

/** A {@link FleetState} in memory, with its two topics at hand for arranging and inspecting state in tests. */
public final class InMemoryFleetState {

    public final InMemoryStateTopic<DeviceRecord> registry = new InMemoryStateTopic<>();
    public final InMemoryStateTopic<DeviceStatusChanged> liveness = new InMemoryStateTopic<>();
    private final FleetState state = new FleetState(registry, liveness);

    public FleetState state() {
        return state;
    }

    /** Forgets every tenant's registry and liveness. */
    public void clear() {
        registry.clear();
        liveness.clear();
    }
}
