package io.autoglm.fleet.inference.batching;

import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.inference.InferenceFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamicBatcherTest {

    /** Records each batch; the first batch blocks until released, so tests can queue requests behind it. */
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchRunning = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private DynamicBatcher<Integer, Integer> batcher;

    private List<Integer> doubleEach(List<Integer> inputs) throws InterruptedException {
        batches.add(List.copyOf(inputs));
        if (batches.size() == 1) {
            firstBatchRunning.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        }
        return inputs.stream().map(i -> i * 2).toList();
    }

    private DynamicBatcher<Integer, Integer> batcher(int maxBatchSize, Duration delay, int maxQueueSize) {
        batcher = new DynamicBatcher<>("test@1", maxBatchSize, delay, maxQueueSize, 1, this::doubleEach, DynamicBatcher.Observer.NONE, Runnable::run);
        return batcher;
    }

    @AfterEach
    void close() {
        release.countDown();
        if (batcher != null) {
            batcher.close();
        }
    }

    @Test
    void requestsThatArriveWhileABatchRunsJoinTheNextOneAndGetTheirOwnOutput() throws Exception {
        batcher(4, Duration.ZERO, 100);
        CompletableFuture<DynamicBatcher.Served<Integer>> first = batcher.submit(1, 1);
        assertThat(firstBatchRunning.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<DynamicBatcher.Served<Integer>>> queued = new ArrayList<>();
        for (int i = 2; i <= 10; i++) {
            queued.add(batcher.submit(i, 1));
        }
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).output()).isEqualTo(2);
        for (int i = 0; i < queued.size(); i++) {
            assertThat(queued.get(i).get(10, TimeUnit.SECONDS).output()).isEqualTo((i + 2) * 2);
        }
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4, 5), List.of(6, 7, 8, 9), List.of(10));
        assertThat(queued.get(0).get().batchRows()).isEqualTo(4);
    }

    @Test
    void aBatchNeverExceedsMaxBatchSizeInRows() throws Exception {
        batcher(5, Duration.ZERO, 100);
        batcher.submit(0, 1);
        assertThat(firstBatchRunning.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<?> threeRows = batcher.submit(1, 3);
        CompletableFuture<?> twoRows = batcher.submit(2, 2);
        CompletableFuture<?> fourRows = batcher.submit(3, 4);
        release.countDown();
        CompletableFuture.allOf(threeRows, twoRows, fourRows).get(10, TimeUnit.SECONDS);

        assertThat(batches).containsExactly(List.of(0), List.of(1, 2), List.of(3));
        assertThatThrownBy(() -> batcher.submit(9, 6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoneRequestRunsOnceItsQueueDelayIsOver() throws Exception {
        release.countDown();
        batcher(32, Duration.ofMillis(20), 100);
        assertThat(batcher.submit(21, 1).get(10, TimeUnit.SECONDS).output()).isEqualTo(42);
        assertThat(batches).containsExactly(List.of(21));
    }

    @Test
    void aFullQueueRefusesAtOnceWithCapacity() throws Exception {
        batcher(1, Duration.ZERO, 2);
        batcher.submit(0, 1);
        assertThat(firstBatchRunning.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<?> a = batcher.submit(1, 1);
        CompletableFuture<?> b = batcher.submit(2, 1);
        CompletableFuture<DynamicBatcher.Served<Integer>> refused = batcher.submit(3, 1);

        assertThat(refused).isCompletedExceptionally();
        assertThat(failure(refused).reason()).isEqualTo(FailureReason.CAPACITY);
        assertThat(failure(refused).getMessage()).isEqualTo("test@1 has 2 requests waiting, its limit; retry later");
        release.countDown();
        CompletableFuture.allOf(a, b).get(10, TimeUnit.SECONDS);
    }

    @Test
    void drainingAnswersWhatWasQueuedAndRefusesTheRestAsSuperseded() throws Exception {
        batcher(8, Duration.ofSeconds(30), 100);
        batcher.submit(0, 1);
        CompletableFuture<DynamicBatcher.Served<Integer>> queued = batcher.submit(1, 1);
        CompletableFuture<Void> drained = batcher.drain();
        CompletableFuture<DynamicBatcher.Served<Integer>> late = batcher.submit(2, 1);

        assertThat(failure(late).superseded()).isTrue();
        assertThat(failure(late).reason()).isEqualTo(FailureReason.NOT_READY);
        release.countDown();
        drained.get(10, TimeUnit.SECONDS);
        assertThat(queued.get().output()).as("queued before the drain: answered, without waiting out the delay").isEqualTo(2);
    }

    @Test
    void aFailingBatchFailsEachOfItsRequestsWithTheReason() {
        batcher = new DynamicBatcher<>("test@1", 4, Duration.ZERO, 10, 1, inputs -> {
            if (inputs.contains(13)) {
                throw InferenceFailure.badRequest("data.texts[0]", "13 is unlucky");
            }
            throw new IllegalStateException("engine crashed");
        }, DynamicBatcher.Observer.NONE, Runnable::run);

        assertThat(failure(batcher.submit(13, 1)).reason()).isEqualTo(FailureReason.BAD_REQUEST);
        InferenceFailure crash = failure(batcher.submit(1, 1));
        assertThat(crash.reason()).isEqualTo(FailureReason.INTERNAL);
        assertThat(crash.getMessage()).contains("engine crashed");
    }

    @Test
    void theObserverSeesEveryBatchAndRefusal() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        release.countDown();
        batcher = new DynamicBatcher<>("test@1", 4, Duration.ZERO, 10, 1, this::doubleEach, new DynamicBatcher.Observer() {
            @Override
            public void batchRan(int requests, int rows, long oldestWaitNanos, long computeNanos) {
                seen.add("batch " + requests + "/" + rows);
            }

            @Override
            public void refused(String reason) {
                seen.add("refused " + reason);
            }
        }, Runnable::run);
        batcher.submit(1, 3).get(10, TimeUnit.SECONDS);
        batcher.drain().get(10, TimeUnit.SECONDS);
        failure(batcher.submit(1, 1));
        assertThat(seen).containsExactly("batch 1/3", "refused superseded");
    }

    private static InferenceFailure failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return InferenceFailure.of(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }
}
