package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.testing.PulsarEndpoints;

import java.util.List;

/**
 * A thousand devices, two tenants, through the functions' services on the real broker (the decisions, state,
 * timers, transactions and event flow of the deployed functions, without the HTTP hop).
 */
class ControlPlaneIT extends FleetScenario {

    ControlPlaneIT() {
        super(500);
    }

    @Override
    ControlPlane start(PulsarEndpoints endpoints, List<String> tenants) throws Exception {
        return new InProcessFunctions(endpoints, tenants);
    }

    @Override
    String reportName() {
        return "control-plane-it.txt";
    }
}
