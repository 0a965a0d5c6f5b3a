package io.autoglm.fleet.events.task;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TaskRecordTest {

    @Test
    void aRecordSurvivesTheTablesJsonWithItsRequestHistoryTimelineAndStepUnderWay() {
        TaskRecord record = SamplePayloads.taskRecord();

        byte[] json = EventJson.write(record);
        TaskRecord read = EventJson.read(json, TaskRecord.class);

        assertThat(read).isEqualTo(record);
        assertThat(read.request()).isEqualTo(SamplePayloads.taskRequested());
        assertThat(read.history()).hasSize(2);
        assertThat(read.timeline()).singleElement().extracting(StepSummary::action).isInstanceOf(StepAction.Tap.class);
        assertThat(read.current().screenshot()).isEqualTo(SamplePayloads.screenshot());
        assertThat(new String(json, StandardCharsets.UTF_8)).as("derived answers are not stored").doesNotContain("\"ended\"")
                .doesNotContain("\"cancelPending\"");
    }

    @Test
    void onlyCompletedFailedAndCanceledAreEnded() {
        assertThat(java.util.EnumSet.allOf(TaskState.class).stream().filter(TaskState::ended).map(Enum::name))
                .containsExactly("COMPLETED", "FAILED", "CANCELED");
        TaskRecord record = SamplePayloads.taskRecord();
        assertThat(record.ended()).isFalse();
        assertThat(record.cancelPending()).isFalse();
    }

    @Test
    void aRequestTakesTheDefaultsAndRefusesWhatNoTaskCanBe() {
        TaskRequested bare = new TaskRequested("t-1", "open Settings", null, null, null, null, null, null, false, null);
        assertThat(bare.maxSteps()).isEqualTo(TaskRequested.DEFAULT_MAX_STEPS);
        assertThat(bare.language()).isEqualTo("zh");
        assertThat(bare.strategy()).isNotNull();
        assertThat(bare.requirements()).isNotNull();
        assertThat(EventJson.read("{\"taskId\":\"t-1\",\"instruction\":\"open Settings\"}".getBytes(StandardCharsets.UTF_8),
                TaskRequested.class)).isEqualTo(bare);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TaskRequested("t-1", " ", null, null, null, null, null, null, false, null))
                .hasMessageContaining("instruction");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TaskRequested("t-1", "x", null, null, null, null, 0, null, false, null))
                .hasMessageContaining("maxSteps must be 1 to 1000, got 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TaskRequested("t-1", "x", null, null, null, null, null, null, false, "fr"))
                .hasMessageContaining("language");
    }

    @Test
    void theOverheadIsWhatTheModelTheDeviceAndTheWaitsLeaveNeverBelowZero() {
        assertThat(StepTimings.of(1000, 600, 300, 50)).isEqualTo(new StepTimings(1000, 600, 300, 50, 50));
        assertThat(StepTimings.of(1000, 900, 300, 0).overheadMs()).isZero();
    }
}
