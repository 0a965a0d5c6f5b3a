package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.testing.PulsarEndpoints;

/**
 * A thousand devices, two tenants, through the functions' services on the real broker (the decisions, state,
 * timers, transactions and event flow of the deployed functions, without the HTTP hop), fed by the trigger
 * dispatcher running the fleet's Trigger objects.
 */
class ControlPlaneIT extends FleetScenario {

    ControlPlaneIT() {
        super(500);
    }

    @Override
    ControlPlane start(PulsarEndpoints endpoints) throws Exception {
        return new InProcessFunctions(endpoints);
    }

    @Override
    String reportName() {
        return "control-plane-it.txt";
    }
}
