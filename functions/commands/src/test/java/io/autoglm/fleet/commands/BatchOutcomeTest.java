package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.command.CommandBatchCompleted;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchOutcomeTest {

    static CommandRecord member(String commandId, CommandState state, Integer batchSize, long sequence) {
        return new CommandRecord(commandId, "b-1", "acme", "d-1", null, state, Instant.EPOCH, null, null, 0, List.of(), null, null, 0,
                Instant.EPOCH, null, batchSize, sequence);
    }

    @Test
    void aBatchWhoseMembersAllSucceededSucceeded() {
        CommandBatchCompleted outcome = BatchOutcome.of("b-1", List.of(member("m-2", CommandState.SUCCEEDED, 2, 2),
                member("m-1", CommandState.SUCCEEDED, 2, 1))).orElseThrow();

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.failed()).isEmpty();
        assertThat(outcome.members()).isEqualTo(Map.of("m-1", CommandState.SUCCEEDED, "m-2", CommandState.SUCCEEDED));
    }

    @Test
    void anyOtherEndFailsTheBatchAndIsNamedInDispatchOrder() {
        CommandBatchCompleted outcome = BatchOutcome.of("b-1", List.of(member("m-3", CommandState.CANCELED, 3, 3),
                member("m-1", CommandState.TIMED_OUT, 3, 1), member("m-2", CommandState.SUCCEEDED, null, 2))).orElseThrow();

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failed()).containsExactly("m-1", "m-3");
        assertThat(outcome.members()).containsEntry("m-3", CommandState.CANCELED).hasSize(3);
    }

    @Test
    void noOutcomeWhileAMemberRunsOneIsMissingOrTheSizeIsUnknown() {
        assertThat(BatchOutcome.of("b-1", List.of(member("m-1", CommandState.SUCCEEDED, 2, 1), member("m-2", CommandState.IN_PROGRESS, 2, 2))))
                .as("one still running").isEmpty();
        assertThat(BatchOutcome.of("b-1", List.of(member("m-1", CommandState.SUCCEEDED, 2, 1)))).as("one not seen yet").isEmpty();
        assertThat(BatchOutcome.of("b-1", List.of(member("m-1", CommandState.SUCCEEDED, null, 1))))
                .as("the batch's dispatch not seen yet: there may be more members").isEmpty();
    }

    @Test
    void aRecordOfAnotherBatchIsAMistake() {
        CommandRecord other = new CommandRecord("x", "b-2", "acme", "d-1", null, CommandState.SUCCEEDED, null, null, null, 0, null, null, null, 0,
                null, null, 1, 0);
        assertThatThrownBy(() -> BatchOutcome.of("b-1", List.of(other))).isInstanceOf(IllegalArgumentException.class);
    }
}
