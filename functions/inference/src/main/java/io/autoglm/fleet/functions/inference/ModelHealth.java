package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.inference.serving.ColdStart;
import io.autoglm.fleet.inference.serving.ServedModels;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Readiness and liveness of the inference function, kept apart: ready means every served model has
 * a version loaded and warm (Knative sends no traffic before, which is what makes scale-from-zero
 * safe); live means the process works, even while a model is missing, so that a broken store does
 * not turn into a restart loop.
 */
public final class ModelHealth {

    private ModelHealth() {
    }

    /** DOWN until every configured model is loaded and warm; says which version serves each. */
    @Readiness
    @Singleton
    public static class ModelsReady implements HealthCheck {
        @Inject
        ServedModels models;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("models").status(models.ready());
            for (ServedModels.Status status : models.status()) {
                String state = status.ready() ? "version " + status.version() + " on " + status.engine() + ", " + status.queued() + " queued"
                        : status.down() != null ? "version " + status.version() + " DOWN: " + status.down() : "loading";
                if (status.canary() != null) {
                    state += "; canary: version " + status.canary();
                }
                if (status.lastFailure() != null) {
                    state += "; last failure: " + status.lastFailure();
                }
                builder.withData(status.ref().toString(), state);
            }
            return builder.build();
        }
    }

    /** UP while the process serves HTTP; reports the cold start once it happened. */
    @Liveness
    @Singleton
    public static class ProcessAlive implements HealthCheck {
        @Inject
        ColdStart coldStart;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("inference").up();
            coldStart.toReady().ifPresent(d -> builder.withData("readyAfterMs", d.toMillis()));
            coldStart.toFirstAnswer().ifPresent(d -> builder.withData("firstAnswerAfterMs", d.toMillis()));
            return builder.build();
        }
    }
}
