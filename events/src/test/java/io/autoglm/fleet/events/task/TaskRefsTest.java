package io.autoglm.fleet.events.task;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskRefsTest {

    @ParameterizedTest
    @EnumSource(TaskRefs.Part.class)
    void everyRefNamesItsTaskEvenWithColonsInTheTaskId(TaskRefs.Part part) {
        String step = TaskRefs.step("batch:7:a", 12);
        assertThat(step).isEqualTo("task:batch:7:a:12");
        assertThat(TaskRefs.taskOf(step)).contains("batch:7:a");
        assertThat(TaskRefs.taskOf(TaskRefs.of(step, part))).contains("batch:7:a");
        assertThat(TaskRefs.of(step, part)).isEqualTo(step + ":" + part.name().toLowerCase());
    }

    @Test
    void theSameStepAndPartAlwaysGiveTheSameId() {
        assertThat(TaskRefs.of(TaskRefs.step("t-1", 3), TaskRefs.Part.ACT)).isEqualTo(TaskRefs.of(TaskRefs.step("t-1", 3), TaskRefs.Part.ACT))
                .isNotEqualTo(TaskRefs.of(TaskRefs.step("t-1", 4), TaskRefs.Part.ACT))
                .isNotEqualTo(TaskRefs.of(TaskRefs.step("t-1", 3), TaskRefs.Part.OBSERVE));
    }

    @Test
    void idsOfAnythingElseNameNoTask() {
        assertThat(TaskRefs.taskOf("cmd-0001")).isEmpty();
        assertThat(TaskRefs.taskOf(null)).isEmpty();
        assertThat(TaskRefs.taskOf("task:t-1")).isEmpty();
        assertThat(TaskRefs.taskOf("task::3")).isEmpty();
        assertThat(TaskRefs.taskOf("task:t-1:x:act")).isEmpty();
        assertThat(TaskRefs.taskOf("task:t-1:3:jump")).isEmpty();
        assertThatThrownBy(() -> TaskRefs.step("t-1", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
