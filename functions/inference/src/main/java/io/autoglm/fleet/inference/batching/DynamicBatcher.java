package io.autoglm.fleet.inference.batching;

import io.autoglm.fleet.inference.InferenceFailure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching for one model version, in the manner of Triton's dynamic batcher and djl-serving's
 * work-load manager: requests from many callers wait in a bounded queue; a worker takes the oldest,
 * waits at most {@code maxQueueDelay} (from that request's arrival) for others to join, and runs up to
 * {@code maxBatchSize} rows in one engine call. A full queue refuses at once (capacity) instead of
 * making callers wait; a draining batcher finishes what it holds and refuses the rest (superseded).
 * No framework types: usable and testable without a server.
 *
 * @param <I> a request's prepared input
 * @param <O> a request's output
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

    /** Runs one batch: returns one output per input, in order. */
    @FunctionalInterface
    public interface BatchRunner<I, O> {
        List<O> run(List<I> inputs) throws Exception;
    }

    /** Told about every batch and refusal, for metrics; called on the batcher's threads. */
    public interface Observer {
        Observer NONE = new Observer() {
        };

        default void batchRan(int requests, int rows, long oldestWaitNanos, long computeNanos) {
        }

        default void refused(String reason) {
        }
    }

    /** A request's output with how it was served. */
    public record Served<O>(O output, int batchRows, double queueMs, double computeMs) {
    }

    private record Pending<I, O>(I input, int rows, long enqueuedNanos, CompletableFuture<Served<O>> result) {
    }

    private final String name;
    private final int maxBatchSize;
    private final long maxQueueDelayNanos;
    private final int maxQueueSize;
    private final BatchRunner<I, O> runner;
    private final Observer observer;
    private final Executor replies;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private int queuedRows;
    private int running;
    private boolean accepting = true;

    /**
     * @param name         for thread names and messages, e.g. {@code all-minilm-l6-v2@3}
     * @param workers      batches that may run at once (engine calls in parallel)
     * @param replies      completes the callers' futures, so that what callers do with an answer (encode it,
     *                     write it) runs beside the next batch instead of delaying it
     */
    public DynamicBatcher(String name, int maxBatchSize, Duration maxQueueDelay, int maxQueueSize, int workers,
                          BatchRunner<I, O> runner, Observer observer, Executor replies) {
        this.name = Objects.requireNonNull(name, "name");
        if (maxBatchSize < 1 || maxQueueSize < 1 || workers < 1) {
            throw new IllegalArgumentException("maxBatchSize, maxQueueSize and workers must be >= 1");
        }
        this.maxBatchSize = maxBatchSize;
        this.maxQueueDelayNanos = Objects.requireNonNull(maxQueueDelay, "maxQueueDelay").toNanos();
        this.maxQueueSize = maxQueueSize;
        this.runner = Objects.requireNonNull(runner, "runner");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.replies = Objects.requireNonNull(replies, "replies");
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, "batcher-" + name + "-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
        }
        this.workers.forEach(Thread::start);
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    /**
     * Queues a request of {@code rows} rows (at most {@code maxBatchSize}). The future fails with an
     * {@link InferenceFailure}: capacity when the queue is full, superseded when draining.
     */
    public CompletableFuture<Served<O>> submit(I input, int rows) {
        if (rows < 1 || rows > maxBatchSize) {
            throw new IllegalArgumentException("a request has 1.." + maxBatchSize + " rows, got " + rows);
        }
        CompletableFuture<Served<O>> result = new CompletableFuture<>();
        lock.lock();
        try {
            if (!accepting) {
                observer.refused("superseded");
                return CompletableFuture.failedFuture(InferenceFailure.superseded(name + " is being replaced by a newer version"));
            }
            if (queue.size() >= maxQueueSize) {
                observer.refused("capacity");
                return CompletableFuture.failedFuture(InferenceFailure.capacity(
                        name + " has " + queue.size() + " requests waiting, its limit; retry later"));
            }
            queue.addLast(new Pending<>(input, rows, System.nanoTime(), result));
            queuedRows += rows;
            arrived.signal();
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Requests waiting now. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops taking requests, runs those already queued, and completes when the last batch is done;
     * the worker threads then end.
     */
    public CompletableFuture<Void> drain() {
        lock.lock();
        try {
            accepting = false;
            arrived.signalAll();
            completeDrainIfIdle();
        } finally {
            lock.unlock();
        }
        return drained;
    }

    /** Drains, waiting at most 30 s; what is still queued then fails as not ready. */
    @Override
    public void close() {
        try {
            drain().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            lock.lock();
            try {
                queue.forEach(p -> p.result().completeExceptionally(InferenceFailure.notReady(name + " was shut down")));
                queue.clear();
            } finally {
                lock.unlock();
            }
        }
        workers.forEach(Thread::interrupt);
    }

    private void work() {
        while (true) {
            List<Pending<I, O>> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            runBatch(batch);
            lock.lock();
            try {
                running--;
                completeDrainIfIdle();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The next batch, or null when draining and nothing is left. */
    private List<Pending<I, O>> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                while (queue.isEmpty()) {
                    if (!accepting) {
                        return null;
                    }
                    arrived.await();
                }
                // let the batch fill, at most until the oldest request has waited maxQueueDelay
                long deadline = queue.peekFirst().enqueuedNanos() + maxQueueDelayNanos;
                long left;
                while (!queue.isEmpty() && queuedRows < maxBatchSize && accepting && (left = deadline - System.nanoTime()) > 0) {
                    arrived.awaitNanos(left);
                }
                if (queue.isEmpty()) {
                    continue; // another worker took them
                }
                List<Pending<I, O>> batch = new ArrayList<>();
                int rows = 0;
                while (!queue.isEmpty() && rows + queue.peekFirst().rows() <= maxBatchSize) {
                    Pending<I, O> next = queue.pollFirst();
                    rows += next.rows();
                    batch.add(next);
                }
                queuedRows -= rows;
                running++;
                if (!queue.isEmpty()) {
                    arrived.signal();
                }
                return batch;
            }
        } finally {
            lock.unlock();
        }
    }

    private void runBatch(List<Pending<I, O>> batch) {
        long start = System.nanoTime();
        int rows = batch.stream().mapToInt(Pending::rows).sum();
        List<I> inputs = new ArrayList<>(batch.size());
        batch.forEach(p -> inputs.add(p.input()));
        try {
            List<O> outputs = runner.run(inputs);
            long computeNanos = System.nanoTime() - start;
            if (outputs.size() != batch.size()) {
                throw new IllegalStateException("the runner returned " + outputs.size() + " outputs for " + batch.size() + " inputs");
            }
            observer.batchRan(batch.size(), rows, start - batch.get(0).enqueuedNanos(), computeNanos);
            replies.execute(() -> {
                for (int i = 0; i < batch.size(); i++) {
                    Pending<I, O> p = batch.get(i);
                    p.result().complete(new Served<>(outputs.get(i), rows, (start - p.enqueuedNanos()) / 1e6, computeNanos / 1e6));
                }
            });
        } catch (Throwable t) {
            InferenceFailure failure = InferenceFailure.of(t);
            replies.execute(() -> batch.forEach(p -> p.result().completeExceptionally(failure)));
        }
    }

    private void completeDrainIfIdle() {
        if (!accepting && queue.isEmpty() && running == 0) {
            drained.complete(null);
        }
    }
}
