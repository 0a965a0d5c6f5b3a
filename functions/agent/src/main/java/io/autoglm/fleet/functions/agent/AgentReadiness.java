package io.autoglm.fleet.functions.agent;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Locale;

/**
 * Readiness with what the function has seen, at {@code /q/health/ready}: inputs by verdict (applied, deferred, ignored), commands
 * sent and inference requests made; counters in the health body, as the commands function keeps them.
 */
@Readiness
@Singleton
public class AgentReadiness implements HealthCheck {

    @Inject
    TaskService tasks;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("agent").up();
        tasks.verdicts().forEach((verdict, count) -> health.withData("inputs." + verdict.name().toLowerCase(Locale.ROOT), count));
        return health.withData("commandsSent", tasks.commandsSent())
                .withData("inferencesRequested", tasks.inferencesRequested())
                .build();
    }
}
