package io.autoglm.fleet.functions.commands;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Locale;

/**
 * Readiness with what the function has seen, at {@code /q/health/ready}: commands by state now (over the tenants open
 * here), transitions into each state, inputs by verdict (late, orphan, refused, unchanged, ...), pending commands sent
 * again on connect, batches completed; the same counters are at {@code /q/metrics} ({@link CommandsMetrics}).
 */
@Readiness
@Singleton
public class CommandsReadiness implements HealthCheck {

    @Inject
    CommandService commands;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("commands").up();
        commands.byState().forEach((state, count) -> health.withData("now." + state.name().toLowerCase(Locale.ROOT), count));
        commands.transitions().forEach((state, count) -> health.withData("transitions." + state.name().toLowerCase(Locale.ROOT), count));
        commands.verdicts().forEach((verdict, count) -> health.withData("inputs." + verdict.name().toLowerCase(Locale.ROOT), count));
        return health.withData("resentOnConnect", commands.resent())
                .withData("batchesCompleted", commands.batchesCompleted())
                .build();
    }
}
