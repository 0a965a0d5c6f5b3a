package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.testing.PulsarEndpoints;

import java.util.Map;

/**
 * The same scenario through the functions as deployed: their packaged apps as processes, every event delivered over
 * HTTP by the trigger dispatcher (edge validation included). Two hundred devices, so that it holds on a small shared machine; the thousand-device
 * run is {@link ControlPlaneIT}.
 */
class ControlPlaneHttpIT extends FleetScenario {

    ControlPlaneHttpIT() {
        super(100);
    }

    @Override
    ControlPlane start(PulsarEndpoints endpoints) throws Exception {
        return new FunctionProcesses(endpoints, Map.of(), REPORT.resolve("logs"));
    }

    @Override
    String reportName() {
        return "control-plane-http-it.txt";
    }
}
