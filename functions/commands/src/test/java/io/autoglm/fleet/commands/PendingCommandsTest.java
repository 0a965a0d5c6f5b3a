package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PendingCommandsTest {

    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    static CommandRecord record(String commandId, CommandState state, Instant dispatchedAt, long sequence, boolean orphan) {
        CommandDispatched dispatch = new CommandDispatched(commandId, null, "d-1", "acme", Placement.DEVICE, new CommandAction(AgentAction.HOME, null),
                RoutingStrategy.LOAD_BALANCE, "x", dispatchedAt, null, null);
        return new CommandRecord(commandId, null, "acme", "d-1", dispatch.action(), state, orphan ? null : dispatchedAt, null, null, 0, List.of(),
                null, null, 0, T0, orphan ? null : dispatch, null, sequence);
    }

    @Test
    void queuedAndDeliveredCommandsAreSentAgainUnchangedInDispatchOrder() {
        List<CommandRecord> records = List.of(
                record("c-late", CommandState.QUEUED, T0.plusSeconds(5), 1, false),
                record("c-b", CommandState.DELIVERED, T0, 9, false),
                record("c-a", CommandState.QUEUED, T0, 8, false),
                record("c-running", CommandState.IN_PROGRESS, T0, 2, false),
                record("c-done", CommandState.SUCCEEDED, T0, 3, false),
                record("c-expired", CommandState.EXPIRED, T0, 4, false),
                record("c-orphan", CommandState.DELIVERED, T0, 5, true));

        List<CommandDispatched> resent = PendingCommands.toResend(records);

        assertThat(resent).extracting(CommandDispatched::commandId).as("same dispatch time: the order they were seen")
                .containsExactly("c-a", "c-b", "c-late");
        assertThat(resent.get(0)).isEqualTo(records.get(2).dispatch());
    }

    @Test
    void aDispatchHeardAfterItsDeviceConnectedIsSentAgainWhenTheConnectionMayHaveMissedIt() {
        CommandDispatched dispatched = record("c-1", CommandState.QUEUED, T0, 1, false).dispatch();

        assertThat(PendingCommands.racedConnection(dispatched, null)).as("no connection heard of: the device is offline").isFalse();
        assertThat(PendingCommands.racedConnection(dispatched, T0.plusMillis(5)))
                .as("connected after the command was written: the replica read it before it held the device").isTrue();
        assertThat(PendingCommands.racedConnection(dispatched, T0.minusMillis(500))).as("within the clocks' skew").isTrue();
        assertThat(PendingCommands.racedConnection(dispatched, T0.minus(PendingCommands.CLOCK_SKEW).minusMillis(1)))
                .as("connected well before: the replica held the device when it read the command").isFalse();
        CommandDispatched undated = new CommandDispatched("c-2", null, "d-1", "acme", Placement.DEVICE, dispatched.action(),
                RoutingStrategy.LOAD_BALANCE, "x", null, null, null);
        assertThat(PendingCommands.racedConnection(undated, T0)).as("no dispatch time: sent again to be safe").isTrue();
    }
}
