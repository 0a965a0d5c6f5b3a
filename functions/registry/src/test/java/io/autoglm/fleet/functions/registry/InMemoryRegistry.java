package io.autoglm.fleet.functions.registry;

import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.state.FleetState;
import io.autoglm.fleet.state.testing.InMemoryFleetState;
import io.autoglm.fleet.state.testing.InMemoryStateTopic;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Replaces the Pulsar registry with one in memory, so the function's tests need no broker. */
@Singleton
public class InMemoryRegistry {

    static final InMemoryFleetState STATE = new InMemoryFleetState();
    static final InMemoryStateTopic<DeviceRecord> REGISTRY = STATE.registry;

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    FleetState state() {
        return STATE.state();
    }
}
