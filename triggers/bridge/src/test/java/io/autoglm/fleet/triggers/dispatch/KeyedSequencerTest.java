package io.autoglm.fleet.triggers.dispatch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedSequencerTest {

    private final KeyedSequencer sequencer = new KeyedSequencer();
    private final List<String> started = Collections.synchronizedList(new ArrayList<>());

    private CompletableFuture<Void> task(String name, CompletableFuture<Void> finish) {
        started.add(name);
        return finish;
    }

    @Test
    void tasksOfOneKeyRunOneAfterTheOtherAndOtherKeysDoNotWait() {
        CompletableFuture<Void> a1 = new CompletableFuture<>();
        CompletableFuture<Void> a2 = new CompletableFuture<>();
        CompletableFuture<Void> b1 = new CompletableFuture<>();

        CompletableFuture<Void> doneA1 = sequencer.submit("a", () -> task("a1", a1));
        CompletableFuture<Void> doneA2 = sequencer.submit("a", () -> task("a2", a2));
        sequencer.submit("b", () -> task("b1", b1));

        assertThat(started).containsExactly("a1", "b1");
        a1.complete(null);
        assertThat(doneA1).isCompleted();
        assertThat(started).containsExactly("a1", "b1", "a2");
        assertThat(doneA2).isNotDone();
        a2.complete(null);
        assertThat(doneA2).isCompleted();
        assertThat(sequencer.activeKeys()).isEqualTo(1);
        b1.complete(null);
        assertThat(sequencer.activeKeys()).isZero();
    }

    @Test
    void aFailedTaskDoesNotStopTheNextOneOfItsKey() {
        CompletableFuture<Void> failing = new CompletableFuture<>();
        CompletableFuture<Void> first = sequencer.submit("a", () -> task("a1", failing));
        CompletableFuture<Void> second = sequencer.submit("a", () -> task("a2", CompletableFuture.completedFuture(null)));
        CompletableFuture<Void> third = sequencer.submit("a", () -> {
            throw new IllegalStateException("boom");
        });

        failing.completeExceptionally(new IllegalStateException("failed"));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompleted();
        assertThat(third).isCompletedExceptionally();
        assertThat(started).containsExactly("a1", "a2");
    }

    @Test
    void tasksWithoutAKeyRunAtOnce() {
        CompletableFuture<Void> pending = new CompletableFuture<>();
        sequencer.submit(null, () -> task("x", pending));
        sequencer.submit(null, () -> task("y", pending));
        assertThat(started).containsExactly("x", "y");
    }
}
