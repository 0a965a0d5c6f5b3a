package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.task.StepTimings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskBookTest {

    @Test
    void everyTaskSubmittedEndsOrIsOnItsWay() {
        TaskBook book = new TaskBook();
        for (int i = 1; i <= 5; i++) {
            book.submitted("t" + i, 1_000);
        }
        book.assigned("t1");
        book.step("t1", StepTimings.of(1_500, 1_200, 200, 0));
        book.ended("t1", TaskBook.State.COMPLETED, null, 9_000);
        book.assigned("t2");
        book.ended("t2", TaskBook.State.FAILED, "MAX_STEPS", "30 steps taken, the task asked for at most 30", 5_000);
        book.ended("t3", TaskBook.State.CANCELED, null, 2_000);
        book.assigned("t4");
        book.paused("t4");
        book.notAccepted("t5");

        TaskBook.Counts counts = book.counts();
        assertThat(counts.submitted()).isEqualTo(4);
        assertThat(counts.ended()).isEqualTo(3);
        assertThat(counts.onTheirWay()).isEqualTo(1);
        assertThat(counts.unaccounted()).isZero();
        assertThat(counts.byState().get(TaskBook.State.PAUSED)).isEqualTo(1);
        assertThat(counts.failures()).containsEntry("MAX_STEPS", 1L);
        assertThat(counts.lastFailure()).containsEntry("MAX_STEPS", "30 steps taken, the task asked for at most 30");
        assertThat(counts.notAccepted()).isEqualTo(1);
        assertThat(counts.steps()).isEqualTo(1);
        assertThat(counts.overhead().p50()).isEqualTo(100);
        assertThat(counts.duration().count()).isEqualTo(3);
    }

    @Test
    void aWordOnAnEndedTaskIsLateAndChangesNothing() {
        TaskBook book = new TaskBook();
        book.submitted("t1", 0);
        book.ended("t1", TaskBook.State.COMPLETED, null, 10);
        book.step("t1", StepTimings.of(10, 0, 0, 0));
        book.ended("t1", TaskBook.State.FAILED, "DEADLINE", 20);
        book.ended("another-runs-task", TaskBook.State.FAILED, "DEADLINE", 20);

        TaskBook.Counts counts = book.counts();
        assertThat(counts.byState().get(TaskBook.State.COMPLETED)).isEqualTo(1);
        assertThat(counts.failures()).isEmpty();
        assertThat(counts.late()).isEqualTo(2);
        assertThat(counts.submitted()).isEqualTo(1);
    }

    @Test
    void answersAreCountedAndTheTaskRunsOn() {
        TaskBook book = new TaskBook();
        book.submitted("t1", 0);
        book.paused("t1");
        book.answered("t1", true, true);
        book.paused("t1");
        book.answered("t1", false, true);
        book.handedOver("t1");

        TaskBook.Counts counts = book.counts();
        assertThat(counts.byState().get(TaskBook.State.RUNNING)).isEqualTo(1);
        assertThat(counts.confirmations()).isEqualTo(1);
        assertThat(counts.takeOvers()).isEqualTo(1);
        assertThat(counts.handOvers()).isEqualTo(1);
        assertThatThrownBy(() -> book.ended("t1", TaskBook.State.RUNNING, null, 0)).hasMessageContaining("not an end");
    }
}
