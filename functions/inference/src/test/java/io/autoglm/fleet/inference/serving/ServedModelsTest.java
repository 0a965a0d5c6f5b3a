package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.inference.Tensor;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.modelstore.Batching;
import io.autoglm.fleet.modelstore.ModelFile;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.ModelRef;
import io.autoglm.fleet.modelstore.Precision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Hot swap and routing, with runners that answer their version number instead of running a model. */
class ServedModelsTest {

    private final AtomicInteger aliasTarget = new AtomicInteger(1);
    private final Map<Integer, VersionRunner> runners = new ConcurrentHashMap<>();
    private final List<Integer> failingVersions = new CopyOnWriteArrayList<>();
    private ServedModels models;

    @AfterEach
    void close() {
        if (models != null) {
            models.close();
        }
    }

    private ServedModels served(Duration coldStartWait) {
        models = new ServedModels(List.of(ModelRef.parse("m")), ref -> aliasTarget.get(), this::load, InferenceObserver.NONE, coldStartWait);
        return models;
    }

    private LoadedVersion<?> load(String name, int version) {
        if (failingVersions.contains(version)) {
            throw new IllegalStateException("m@" + version + " failed verification: model.onnx has sha256 0000");
        }
        VersionRunner runner = new VersionRunner(version);
        runners.put(version, runner);
        return LoadedVersion.start(manifest(version), ExecutionProvider.CPU, runner, 1, InferenceObserver.NONE);
    }

    @Test
    void theAliasTargetIsLoadedAndServesRequests() throws Exception {
        served(Duration.ZERO).refreshAll();

        assertThat(models.ready()).isTrue();
        assertThat(answer("m").version()).isEqualTo(1);
        assertThat(answer("m@1").version()).isEqualTo(1);
        assertThat(answer("m@stable").outputs().get("version").data()).containsExactly(1f);
    }

    @Test
    void aSwapUnderLoadFailsNoRequestAndTheOldVersionIsFreedAfterDraining() throws Exception {
        served(Duration.ZERO).refreshAll();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Integer> answeredBy = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Thread client = new Thread(() -> {
                while (running.get()) {
                    try {
                        answeredBy.add(models.infer(request("m")).get(10, TimeUnit.SECONDS).version());
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        for (int version = 2; version <= 4; version++) {
            awaitAnswers(answeredBy, 50);
            aliasTarget.set(version);
            assertThat(models.refresh("m").result()).isEqualTo(ServedModels.SwapOutcome.Result.SWAPPED);
        }
        awaitAnswers(answeredBy, 50);
        running.set(false);
        for (Thread client : clients) {
            client.join(10_000);
        }

        assertThat(failures).isEmpty();
        assertThat(answeredBy).contains(1, 2, 3, 4);
        assertThat(models.status().get(0).version()).isEqualTo(4);
        for (int old = 1; old <= 3; old++) {
            int version = old;
            awaitTrue(() -> runners.get(version).closed.get());
        }
        assertThat(runners.get(4).closed).isFalse();
    }

    @Test
    void aVersionThatFailsToLoadLeavesTheOldOneServingAndIsReported() throws Exception {
        served(Duration.ZERO).refreshAll();
        failingVersions.add(2);
        aliasTarget.set(2);

        ServedModels.SwapOutcome outcome = models.refresh("m");

        assertThat(outcome.result()).isEqualTo(ServedModels.SwapOutcome.Result.FAILED);
        assertThat(outcome.message()).isEqualTo("m@2 failed to load: m@2 failed verification: model.onnx has sha256 0000; m@1 on cpu keeps serving");
        assertThat(models.status().get(0).lastFailure()).isEqualTo(outcome.message());
        assertThat(answer("m").version()).isEqualTo(1);
        assertThat(models.ready()).isTrue();
    }

    @Test
    void whatIsNotServedIsAnUnknownModelThatSaysWhatIs() throws Exception {
        served(Duration.ZERO).refreshAll();

        assertThat(failure("other").reason()).isEqualTo(FailureReason.UNKNOWN_MODEL);
        assertThat(failure("other").getMessage()).isEqualTo("model 'other' is not served here; this function serves m@stable");
        assertThat(failure("m@canary").getMessage()).isEqualTo("m@canary is not served here; this function serves m@stable, now version 1");
        assertThat(failure("m@2").reason()).isEqualTo(FailureReason.UNKNOWN_MODEL);
    }

    @Test
    void aRequestThatWakesTheFunctionWaitsForTheFirstLoad() throws Exception {
        served(Duration.ofSeconds(30));
        CompletableFuture<InferenceCompleted> early = models.infer(request("m"));
        assertThat(early).isNotDone();

        models.refreshAll();
        assertThat(early.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
    }

    @Test
    void withNothingLoadableRequestsAreNotReadyWithTheReason() {
        failingVersions.add(1);
        served(Duration.ofMillis(50)).refreshAll();

        assertThat(models.ready()).isFalse();
        InferenceFailure failure = failure("m");
        assertThat(failure.reason()).isEqualTo(FailureReason.NOT_READY);
        assertThat(failure.getMessage()).contains("m@1 failed to load");
    }

    private InferenceCompleted answer(String model) throws Exception {
        return models.infer(request(model)).get(10, TimeUnit.SECONDS);
    }

    private InferenceFailure failure(String model) {
        try {
            models.infer(request(model)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return InferenceFailure.of(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected " + model + " to fail");
    }

    @Test
    void aCanaryTakesItsShareOfAThousandRequestsWithinThreePointsAndEveryStepOfATaskStaysOnOneVersion() throws Exception {
        java.util.concurrent.atomic.AtomicReference<java.util.Optional<io.autoglm.fleet.modelstore.AliasTable.Split>> split =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.Optional.of(new io.autoglm.fleet.modelstore.AliasTable.Split(2, 10)));
        Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();
        models = new ServedModels(List.of(ModelRef.parse("m")), new ServedModels.Versions() {
            @Override
            public int resolve(ModelRef ref) {
                return aliasTarget.get();
            }

            @Override
            public java.util.Optional<io.autoglm.fleet.modelstore.AliasTable.Split> split(ModelRef ref) {
                return split.get();
            }
        }, this::load, new InferenceObserver() {
            @Override
            public void routed(String model, int version, boolean canary) {
                routed.computeIfAbsent(version + (canary ? " canary" : " main"), key -> new AtomicInteger()).incrementAndGet();
            }
        }, Duration.ZERO);
        models.refreshAll();
        assertThat(models.status().get(0).canary()).isEqualTo("2 (10%)");

        int toCanary = 0;
        for (int i = 0; i < 1000; i++) {
            InferenceRequested request = new InferenceRequested("inf-" + i + "-" + (i * 7919 % 1000), "m", null,
                    Map.of("x", new Tensor("float32", List.of(1L), List.of(1))), null, null);
            toCanary += models.infer(request).get(10, TimeUnit.SECONDS).version() == 2 ? 1 : 0;
        }
        assertThat(toCanary).as("requests of 1000 to the 10% canary").isBetween(70, 130);
        assertThat(routed.get("2 canary").get()).isEqualTo(toCanary);
        assertThat(routed.get("1 main").get()).isEqualTo(1000 - toCanary);
        assertThat(models.infer(request("m@1")).get(10, TimeUnit.SECONDS).version()).as("a pinned version is never split").isEqualTo(1);

        for (int task = 0; task < 50; task++) {
            String session = "task-" + task;
            java.util.Set<Integer> buckets = new java.util.HashSet<>();
            for (int step = 0; step < 5; step++) {
                buckets.add(ServedModels.bucket(new InferenceRequested("step-" + step + "-" + session, "m", null, null, null, null,
                        new io.autoglm.fleet.events.inference.AgentStep(session, "do it", null, new io.autoglm.fleet.events.agent.ScreenshotRef(
                                java.net.URI.create("file:///s.png"), "0".repeat(64), 1, 1), null, "en"))));
            }
            assertThat(buckets).as("the steps of " + session).hasSize(1);
        }

        split.set(java.util.Optional.empty());
        models.refreshAll();
        assertThat(models.status().get(0).canary()).isNull();
        for (int i = 0; i < 50; i++) {
            assertThat(models.infer(new InferenceRequested("after-" + i, "m", null, Map.of("x", new Tensor("float32", List.of(1L), List.of(1))),
                    null, null)).get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
        }
    }

    private static InferenceRequested request(String model) {
        return new InferenceRequested("r-1", model, null, Map.of("x", new Tensor("float32", List.of(1L), List.of(1))), null, null);
    }

    private static void awaitAnswers(List<Integer> answers, int more) throws InterruptedException {
        int target = answers.size() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (answers.size() < target && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    static ModelManifest manifest(int version) {
        return new ModelManifest("m", version, "onnx", "model.onnx", Precision.FP32, null, null,
                List.of(new ModelFile("model.onnx", 1, "0".repeat(64))), new Batching(8, 1, 1000), null, null, Instant.now(), null);
    }

    /** Answers every request with its version number; slow enough that swaps happen mid-batch. */
    static class VersionRunner implements ModelRunner<InferenceRequested> {
        final int version;
        final AtomicBoolean closed = new AtomicBoolean();

        VersionRunner(int version) {
            this.version = version;
        }

        @Override
        public InferenceRequested prepare(InferenceRequested request) {
            return request;
        }

        @Override
        public int rows(InferenceRequested prepared) {
            return 1;
        }

        @Override
        public List<ModelOutput> run(List<InferenceRequested> batch) {
            if (closed.get()) {
                throw new IllegalStateException("m@" + version + " ran after it was closed");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return batch.stream().map(r -> ModelOutput.tensors(Map.of("version", new Tensor("float32", List.of(1L), List.of((float) version))))).toList();
        }

        @Override
        public InferenceRequested warmupRequest() {
            return new InferenceRequested("warm-up", "m", null, null, null, null);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
