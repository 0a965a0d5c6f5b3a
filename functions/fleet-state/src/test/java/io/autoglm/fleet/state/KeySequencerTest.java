package io.autoglm.fleet.state;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class KeySequencerTest {

    private final KeySequencer sequencer = new KeySequencer();

    @Test
    void workForOneKeyRunsInSubmissionOrderAfterThePreviousFinished() {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> gate = new CompletableFuture<>();

        CompletableFuture<String> first = sequencer.submit("d1", () -> gate.thenApply(v -> {
            log.add("first");
            return "a";
        }));
        CompletableFuture<String> second = sequencer.submit("d1", () -> {
            log.add("second");
            return CompletableFuture.completedFuture("b");
        });
        CompletableFuture<String> other = sequencer.submit("d2", () -> {
            log.add("other key");
            return CompletableFuture.completedFuture("c");
        });

        assertThat(log).containsExactly("other key");
        assertThat(second).isNotDone();
        gate.complete(null);
        assertThat(first.join() + second.join() + other.join()).isEqualTo("abc");
        assertThat(log).containsExactly("other key", "first", "second");
        assertThat(sequencer.activeKeys()).isZero();
    }

    @Test
    void aFailureFailsOnlyItsOwnWork() {
        CompletableFuture<String> failing = sequencer.submit("d1", () -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<String> next = sequencer.submit("d1", () -> CompletableFuture.completedFuture("fine"));

        assertThat(failing).isCompletedExceptionally();
        assertThat(next.join()).isEqualTo("fine");
    }

    @Test
    void workThatFailsLaterDoesNotStopTheNextOfItsKey() {
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> first = sequencer.submit("d1", () -> failing);
        CompletableFuture<String> second = sequencer.submit("d1", () -> CompletableFuture.completedFuture("fine"));
        assertThat(second).isNotDone();

        failing.completeExceptionally(new IllegalStateException("failed"));

        assertThat(first).isCompletedExceptionally();
        assertThat(second.join()).isEqualTo("fine");
        assertThat(sequencer.activeKeys()).isZero();
    }

    @Test
    void workWithoutAKeyRunsAtOnceAndAnErrorFailsOnlyIt() {
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> pending = new CompletableFuture<>();
        sequencer.submit(null, () -> {
            log.add("x");
            return pending;
        });
        sequencer.submit(null, () -> {
            log.add("y");
            return pending;
        });
        CompletableFuture<Void> error = sequencer.submit(null, () -> {
            throw new AssertionError("an error");
        });

        assertThat(log).containsExactly("x", "y");
        assertThat(error).isCompletedExceptionally();
        assertThat(sequencer.activeKeys()).isZero();
    }
}
