package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.modelstore.ModelRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InferenceServiceTest {

    private final CountDownLatch stuck = new CountDownLatch(1);
    private ServedModels models;

    @AfterEach
    void close() {
        stuck.countDown();
        models.close();
    }

    @Test
    void aStuckEngineGivesATimeoutNotAHungRequest() throws Exception {
        models = new ServedModels(List.of(ModelRef.parse("m")), ref -> 1, (name, version) -> LoadedVersion.start(
                ServedModelsTest.manifest(version), ExecutionProvider.CPU, new ServedModelsTest.VersionRunner(version) {
                    @Override
                    public List<ModelOutput> run(List<InferenceRequested> batch) {
                        if (!batch.get(0).requestId().equals("warm-up")) {
                            await();
                        }
                        return super.run(batch);
                    }
                }, 1, InferenceObserver.NONE), InferenceObserver.NONE, Duration.ZERO);
        models.refreshAll();
        ColdStart coldStart = new ColdStart(Instant.now(), Clock.systemUTC(), InferenceObserver.NONE);
        InferenceService service = new InferenceService(models, Duration.ofMillis(100), coldStart);

        try {
            service.infer(new InferenceRequested("r", "m", null, null, null, null)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            InferenceFailure failure = InferenceFailure.of(e.getCause());
            assertThat(failure.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(failure.getMessage()).isEqualTo("m did not answer within 100 ms");
            assertThat(coldStart.toFirstAnswer()).as("a timeout is not an answer").isEmpty();
            return;
        }
        throw new AssertionError("expected a timeout");
    }

    private void await() {
        try {
            stuck.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
