package io.autoglm.fleet.triggers.gateway;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the replica takes new sockets (not draining); says how many it holds. */
@Readiness
@Singleton
public class GatewayReadiness implements HealthCheck {

    private final DeviceSessions sessions;

    GatewayReadiness(DeviceSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("device-gateway").status(!sessions.draining())
                .withData("replica", sessions.replica())
                .withData("devices", sessions.devices())
                .withData("sockets", sessions.sockets())
                .withData("commandsDelivered", sessions.delivered())
                .build();
    }
}
