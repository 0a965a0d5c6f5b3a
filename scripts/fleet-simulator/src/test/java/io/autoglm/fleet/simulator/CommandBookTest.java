package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.command.CommandState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandBookTest {

    @Test
    void everyCommandIsEndedWithinItsDeadlinesOrOverdue() {
        CommandBook book = new CommandBook();
        book.requested("a", 0, 30_000, 60_000);
        book.requested("b", 0, 30_000, 60_000);
        book.requested("c", 0, 30_000, 60_000);
        book.requested("d", 0, 30_000, 60_000);
        book.state("a", CommandState.IN_PROGRESS, 100);
        book.state("a", CommandState.SUCCEEDED, 250);
        book.refusedByRouter("b");
        book.state("c", CommandState.IN_PROGRESS, 100);

        CommandBook.Counts early = book.counts(1_000);
        assertThat(early.requested()).isEqualTo(4);
        assertThat(early.ended()).isEqualTo(2);
        assertThat(early.unknown()).isEqualTo(1);
        assertThat(early.overdue()).isZero();
        assertThat(early.byState()).containsEntry(CommandState.SUCCEEDED, 1L).containsEntry(CommandState.IN_PROGRESS, 1L);
        assertThat(early.roundTrip().count()).isEqualTo(1);
        assertThat(early.roundTrip().p50()).isEqualTo(250);

        CommandBook.Counts late = book.counts(30_000 + 60_000 + CommandBook.SLACK_MS + 1);
        assertThat(late.overdue()).isEqualTo(2); // c still IN_PROGRESS, d never seen: the lifecycle lost them
    }

    @Test
    void aRefusedBatchEndsEachOfItsCommandsAndASuccessCountsOnce() {
        CommandBook book = new CommandBook();
        book.requested("batch-1-1", 0, 1_000, 1_000);
        book.requested("batch-1-2", 0, 1_000, 1_000);
        book.batch("batch-1", List.of("batch-1-1", "batch-1-2"));
        book.batchRefusedByRouter("batch-1");
        book.requested("x", 0, 1_000, 1_000);
        book.state("x", CommandState.SUCCEEDED, 40);
        book.state("x", CommandState.SUCCEEDED, 90);
        book.state("someone-else", CommandState.FAILED, 10);

        CommandBook.Counts counts = book.counts(1_000_000);
        assertThat(counts.refused()).isEqualTo(2);
        assertThat(counts.ended()).isEqualTo(3);
        assertThat(counts.overdue()).isZero();
        assertThat(counts.roundTrip().count()).isEqualTo(1);
    }

    @Test
    void theSteadyStateRoundTripCountsOnlyCommandsRequestedAfterTheWarmUp() {
        CommandBook book = new CommandBook();
        book.steadyFrom(60_000);
        book.requested("cold", 1_000, 30_000, 60_000);
        book.requested("warm", 61_000, 30_000, 60_000);
        book.state("cold", CommandState.SUCCEEDED, 9_000);
        book.state("warm", CommandState.SUCCEEDED, 61_120);

        CommandBook.Counts counts = book.counts(70_000);
        assertThat(counts.roundTrip().count()).isEqualTo(2);
        assertThat(counts.steadyRoundTrip().count()).isEqualTo(1);
        assertThat(counts.steadyRoundTrip().p99()).isEqualTo(120);
    }

    @Test
    void aCommandTheSinkDidNotTakeIsNoCommandOfTheFleet() {
        CommandBook book = new CommandBook();
        book.requested("skipped", 0, 1_000, 1_000);
        book.notAccepted("skipped");

        CommandBook.Counts counts = book.counts(1_000_000);
        assertThat(counts.requested()).isZero();
        assertThat(counts.overdue()).isZero();
    }
}
