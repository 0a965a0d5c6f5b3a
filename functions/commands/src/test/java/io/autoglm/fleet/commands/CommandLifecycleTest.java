package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCancelRequested;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.CommandProgress;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.CommandTimings;
import io.autoglm.fleet.events.command.CommandTransition;
import io.autoglm.fleet.events.command.DeadlineKind;
import io.autoglm.fleet.events.command.DeclineReason;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.state.Reply;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.autoglm.fleet.events.command.CommandState.CANCELED;
import static io.autoglm.fleet.events.command.CommandState.DELIVERED;
import static io.autoglm.fleet.events.command.CommandState.EXPIRED;
import static io.autoglm.fleet.events.command.CommandState.FAILED;
import static io.autoglm.fleet.events.command.CommandState.IN_PROGRESS;
import static io.autoglm.fleet.events.command.CommandState.QUEUED;
import static io.autoglm.fleet.events.command.CommandState.REJECTED;
import static io.autoglm.fleet.events.command.CommandState.SUCCEEDED;
import static io.autoglm.fleet.events.command.CommandState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLifecycleTest {

    static final String TENANT = "acme";
    static final String DEVICE = "d-1";
    static final String CMD = "cmd-1";
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final CommandLifecycle lifecycle = new CommandLifecycle(DEFAULT_TTL, DEFAULT_TIMEOUT);
    private static final AtomicInteger IDS = new AtomicInteger();

    // --- inputs, each with a fresh event id ---

    static String id() {
        return "evt-" + IDS.incrementAndGet();
    }

    static CommandDispatched dispatch(String commandId, Instant expiresAt, Long timeoutMs) {
        return new CommandDispatched(commandId, null, DEVICE, TENANT, Placement.DEVICE, new CommandAction(AgentAction.HOME, Map.of()),
                RoutingStrategy.LOAD_BALANCE, "the only device", T0, expiresAt, timeoutMs);
    }

    static CommandInput dispatched() {
        return new CommandInput.Dispatched(id(), dispatch(CMD, T0.plusSeconds(10), 5_000L));
    }

    static CommandInput delivered(int attempt) {
        return new CommandInput.Delivered(id(), new CommandDelivered(CMD, DEVICE, "gateway-0", attempt, T0));
    }

    static CommandInput accepted() {
        return new CommandInput.Accepted(id(), new CommandAccepted(CMD, DEVICE, T0));
    }

    static CommandInput progress(int percent) {
        return new CommandInput.Progress(id(), new CommandProgress(CMD, DEVICE, "working", percent, T0));
    }

    static CommandCompleted completion(String output) {
        return new CommandCompleted(CMD, DEVICE, output, null, new CommandTimings(T0, T0, T0.plusMillis(5)));
    }

    static CommandInput completed() {
        return new CommandInput.Completed(id(), completion("done"));
    }

    static CommandInput failed() {
        return new CommandInput.Failed(id(), new CommandFailed(CMD, DEVICE, CommandFailureReason.APP_NOT_INSTALLED, "no Settings", null));
    }

    static CommandInput declined() {
        return new CommandInput.Declined(id(), new CommandDeclined(CMD, DEVICE, DeclineReason.BUSY, "queue full", T0));
    }

    static CommandInput cancel() {
        return new CommandInput.CancelRequested(id(), new CommandCancelRequested(CMD, "operator stopped the run"));
    }

    static CommandInput deadline(DeadlineKind kind, Instant due) {
        return new CommandInput.Deadline(id(), new CommandDeadline(CMD, DEVICE, kind, due));
    }

    static CommandInput deliveryDeadline() {
        return deadline(DeadlineKind.DELIVERY, T0.plusSeconds(10));
    }

    static CommandInput executionDeadline() {
        return deadline(DeadlineKind.EXECUTION, T0.plusSeconds(20));
    }

    /** A command taken through events one by one, the clock a second further at each. */
    final class Run {
        CommandRecord record;
        Instant now = T0;
        Step last;

        Run(CommandInput... inputs) {
            for (CommandInput input : inputs) {
                apply(input);
            }
        }

        Step apply(CommandInput input) {
            now = now.plusSeconds(1);
            last = lifecycle.apply(TENANT, record, input, now, 7);
            if (last.changed()) {
                record = last.record();
            }
            return last;
        }

        List<CommandState> states() {
            return record.history().stream().map(CommandTransition::state).toList();
        }
    }

    /** A run that has reached {@code state}. */
    Run in(CommandState state) {
        return switch (state) {
            case QUEUED -> new Run(dispatched());
            case DELIVERED -> new Run(dispatched(), delivered(1));
            case IN_PROGRESS -> new Run(dispatched(), delivered(1), accepted());
            case SUCCEEDED -> new Run(dispatched(), delivered(1), accepted(), completed());
            case FAILED -> new Run(dispatched(), delivered(1), accepted(), failed());
            case REJECTED -> new Run(dispatched(), delivered(1), declined());
            case TIMED_OUT -> new Run(dispatched(), delivered(1), accepted(), executionDeadline());
            case EXPIRED -> new Run(dispatched(), deliveryDeadline());
            case CANCELED -> new Run(dispatched(), cancel());
        };
    }

    // --- every state against every input ---

    enum Input {
        DELIVERED_AGAIN(() -> delivered(2)), ACCEPTED(CommandLifecycleTest::accepted), PROGRESS(() -> progress(40)),
        COMPLETED(CommandLifecycleTest::completed), FAILED(CommandLifecycleTest::failed), DECLINED(CommandLifecycleTest::declined),
        CANCEL(CommandLifecycleTest::cancel), DELIVERY_DEADLINE(CommandLifecycleTest::deliveryDeadline),
        EXECUTION_DEADLINE(CommandLifecycleTest::executionDeadline), DISPATCHED_AGAIN(CommandLifecycleTest::dispatched);

        final java.util.function.Supplier<CommandInput> make;

        Input(java.util.function.Supplier<CommandInput> make) {
            this.make = make;
        }
    }

    /** (from, input, to, verdict): the whole transition table, legal and illegal moves alike. */
    static Stream<Arguments> transitions() {
        List<Arguments> table = new ArrayList<>(List.of(
                Arguments.of(QUEUED, Input.DELIVERED_AGAIN, DELIVERED, Verdict.MOVED),
                Arguments.of(QUEUED, Input.ACCEPTED, IN_PROGRESS, Verdict.MOVED),
                Arguments.of(QUEUED, Input.PROGRESS, IN_PROGRESS, Verdict.MOVED),
                Arguments.of(QUEUED, Input.COMPLETED, SUCCEEDED, Verdict.MOVED),
                Arguments.of(QUEUED, Input.FAILED, FAILED, Verdict.MOVED),
                Arguments.of(QUEUED, Input.DECLINED, REJECTED, Verdict.MOVED),
                Arguments.of(QUEUED, Input.CANCEL, CANCELED, Verdict.MOVED),
                Arguments.of(QUEUED, Input.DELIVERY_DEADLINE, EXPIRED, Verdict.MOVED),
                Arguments.of(QUEUED, Input.EXECUTION_DEADLINE, QUEUED, Verdict.UNCHANGED),
                Arguments.of(QUEUED, Input.DISPATCHED_AGAIN, QUEUED, Verdict.UNCHANGED),

                Arguments.of(DELIVERED, Input.DELIVERED_AGAIN, DELIVERED, Verdict.NOTED),
                Arguments.of(DELIVERED, Input.ACCEPTED, IN_PROGRESS, Verdict.MOVED),
                Arguments.of(DELIVERED, Input.PROGRESS, IN_PROGRESS, Verdict.MOVED),
                Arguments.of(DELIVERED, Input.COMPLETED, SUCCEEDED, Verdict.MOVED),
                Arguments.of(DELIVERED, Input.FAILED, FAILED, Verdict.MOVED),
                Arguments.of(DELIVERED, Input.DECLINED, REJECTED, Verdict.MOVED),
                Arguments.of(DELIVERED, Input.CANCEL, CANCELED, Verdict.MOVED),
                Arguments.of(DELIVERED, Input.DELIVERY_DEADLINE, EXPIRED, Verdict.MOVED),
                Arguments.of(DELIVERED, Input.EXECUTION_DEADLINE, DELIVERED, Verdict.UNCHANGED),
                Arguments.of(DELIVERED, Input.DISPATCHED_AGAIN, DELIVERED, Verdict.UNCHANGED),

                Arguments.of(IN_PROGRESS, Input.DELIVERED_AGAIN, IN_PROGRESS, Verdict.NOTED),
                Arguments.of(IN_PROGRESS, Input.ACCEPTED, IN_PROGRESS, Verdict.UNCHANGED),
                Arguments.of(IN_PROGRESS, Input.PROGRESS, IN_PROGRESS, Verdict.NOTED),
                Arguments.of(IN_PROGRESS, Input.COMPLETED, SUCCEEDED, Verdict.MOVED),
                Arguments.of(IN_PROGRESS, Input.FAILED, FAILED, Verdict.MOVED),
                Arguments.of(IN_PROGRESS, Input.DECLINED, IN_PROGRESS, Verdict.REFUSED),
                Arguments.of(IN_PROGRESS, Input.CANCEL, CANCELED, Verdict.MOVED),
                Arguments.of(IN_PROGRESS, Input.DELIVERY_DEADLINE, IN_PROGRESS, Verdict.UNCHANGED),
                Arguments.of(IN_PROGRESS, Input.EXECUTION_DEADLINE, TIMED_OUT, Verdict.MOVED),
                Arguments.of(IN_PROGRESS, Input.DISPATCHED_AGAIN, IN_PROGRESS, Verdict.UNCHANGED)));
        for (CommandState ended : EnumSet.range(SUCCEEDED, CANCELED)) {
            table.add(Arguments.of(ended, Input.DELIVERED_AGAIN, ended, Verdict.NOTED)); // counted, nothing else
            for (Input result : List.of(Input.ACCEPTED, Input.PROGRESS, Input.COMPLETED, Input.FAILED, Input.DECLINED)) {
                table.add(Arguments.of(ended, result, ended, Verdict.LATE));
            }
            for (Input nothing : List.of(Input.CANCEL, Input.DELIVERY_DEADLINE, Input.EXECUTION_DEADLINE, Input.DISPATCHED_AGAIN)) {
                table.add(Arguments.of(ended, nothing, ended, Verdict.UNCHANGED));
            }
        }
        return table.stream();
    }

    @ParameterizedTest(name = "{0} + {1} -> {2} ({3})")
    @MethodSource("transitions")
    void everyStateAgainstEveryInputAndEveryCopyOfItChangesNothing(CommandState from, Input kind, CommandState to, Verdict verdict) {
        Run run = in(from);
        assertThat(run.record.state()).isEqualTo(from);
        CommandRecord before = run.record;
        CommandInput input = kind.make.get();

        Step step = run.apply(input);

        assertThat(step.verdict()).isEqualTo(verdict);
        assertThat(run.record.state()).isEqualTo(to);
        if (verdict == Verdict.UNCHANGED) {
            assertThat(step.changed()).isFalse();
            assertThat(step.deadlines()).isEmpty();
        } else {
            CommandTransition newest = run.record.history().get(run.record.history().size() - 1);
            assertThat(newest.state()).isEqualTo(to);
            assertThat(newest.eventId()).isEqualTo(input.eventId());
        }
        assertThat(run.record.late()).isEqualTo(before.late() + (verdict == Verdict.LATE ? 1 : 0));
        if (from.terminal()) {
            assertThat(run.record.result()).as("an ended command keeps its result").isEqualTo(before.result());
            assertThat(run.record.detail()).as("and why it ended").isEqualTo(before.detail());
        }

        // at-least-once: the same event again (same id) changes nothing, whatever it was
        CommandRecord after = run.record;
        Step again = run.apply(input);
        assertThat(again.changed()).as("a redelivered copy").isFalse();
        assertThat(again.deadlines()).isEmpty();
        assertThat(run.record).isSameAs(after);
    }

    // --- the way through ---

    @Test
    void dispatchedDeliveredAcceptedProgressCompletedEndsSucceededWithItsResult() {
        Run run = new Run();

        Step queued = run.apply(dispatched());
        assertThat(queued.record().state()).isEqualTo(QUEUED);
        assertThat(queued.record().expiresAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(queued.record().timeoutMs()).isEqualTo(5_000L);
        assertThat(queued.record().sequence()).isEqualTo(7);
        assertThat(queued.deadlines()).containsExactly(new CommandDeadline(CMD, DEVICE, DeadlineKind.DELIVERY, T0.plusSeconds(10)));

        run.apply(delivered(1));
        assertThat(run.record.deliveries()).isEqualTo(1);

        Instant acceptedAt = run.now.plusSeconds(1);
        Step started = run.apply(accepted());
        assertThat(started.deadlines()).as("accept + timeoutMs, by this function's clock")
                .containsExactly(new CommandDeadline(CMD, DEVICE, DeadlineKind.EXECUTION, acceptedAt.plusMillis(5_000)));

        run.apply(progress(50));
        Step done = run.apply(completed());

        assertThat(done.verdict()).isEqualTo(Verdict.MOVED);
        assertThat(done.reply()).as("the device's own word is the announcement").isNull();
        assertThat(run.record.state()).isEqualTo(SUCCEEDED);
        assertThat(run.record.result()).isEqualTo(completion("done"));
        assertThat(run.record.detail()).isNull();
        assertThat(run.states()).containsExactly(QUEUED, DELIVERED, IN_PROGRESS, IN_PROGRESS, SUCCEEDED);
        assertThat(run.record.dispatch()).isEqualTo(dispatch(CMD, T0.plusSeconds(10), 5_000L));
    }

    @Test
    void withoutTtlOrTimeoutTheDefaultsHold() {
        Run run = new Run(new CommandInput.Dispatched(id(), dispatch(CMD, null, null)));
        assertThat(run.record.expiresAt()).as("dispatch time + default TTL").isEqualTo(T0.plus(DEFAULT_TTL));
        assertThat(run.last.deadlines().get(0).due()).isEqualTo(T0.plus(DEFAULT_TTL));
        assertThat(run.record.dispatch().expiresAt()).as("the dispatch itself is kept as written").isNull();

        Instant acceptedAt = run.now.plusSeconds(1);
        run.apply(accepted());
        assertThat(run.last.deadlines().get(0).due()).isEqualTo(acceptedAt.plus(DEFAULT_TIMEOUT));
        assertThat(run.record.timeoutMs()).isEqualTo(DEFAULT_TIMEOUT.toMillis());
    }

    @Test
    void aCompletedBeforeItsAcceptedIsLegalAndTheAcceptedArrivingAfterIsLate() {
        Run run = new Run(dispatched(), completed());
        assertThat(run.record.state()).isEqualTo(SUCCEEDED);
        assertThat(run.record.history().get(1).detail()).isEqualTo("command.completed (before its command.accepted)");

        run.apply(accepted());

        assertThat(run.last.verdict()).isEqualTo(Verdict.LATE);
        assertThat(run.record.state()).isEqualTo(SUCCEEDED);
        assertThat(run.record.late()).isEqualTo(1);
        assertThat(run.last.deadlines()).as("no execution deadline for a finished command").isEmpty();
    }

    @Test
    void progressBeforeTheAcceptCountsAsTheAcceptAndOnlyTheNewestProgressIsKept() {
        Run run = new Run(dispatched(), progress(10));
        assertThat(run.record.state()).isEqualTo(IN_PROGRESS);
        assertThat(run.last.deadlines()).extracting(CommandDeadline::kind).containsExactly(DeadlineKind.EXECUTION);

        run.apply(progress(20));
        run.apply(progress(30));
        run.apply(accepted());

        assertThat(run.last.verdict()).as("accepted after its progress").isEqualTo(Verdict.UNCHANGED);
        assertThat(run.record.history()).extracting(CommandTransition::detail)
                .containsExactly("command.dispatched", "command.progress 10%: working (taken as accepted)", "command.progress 30%: working");
    }

    // --- the service's ends ---

    @Test
    void aCancelEndsTheCommandAndTellsTheDevice() {
        Run run = new Run(dispatched(), delivered(1), accepted());

        Step canceled = run.apply(cancel());

        assertThat(run.record.state()).isEqualTo(CANCELED);
        assertThat(run.record.detail()).isEqualTo("operator stopped the run");
        assertThat(canceled.reply().type()).as("on the device's command topic").isEqualTo(EventType.COMMAND_CANCELED);
        assertThat(EventType.COMMAND_CANCELED.family()).isEqualTo(io.autoglm.fleet.events.EventFamily.DEVICE_COMMAND);
        assertThat(canceled.reply().partitionKey()).isEqualTo(DEVICE);
        assertThat(canceled.reply().payload()).isEqualTo(new CommandEnded(CMD, DEVICE, CANCELED, "operator stopped the run", run.now));
    }

    @Test
    void cancelWinsOverALateCompletionWhichIsRecordedNotApplied() {
        Run run = new Run(dispatched(), delivered(1), accepted(), cancel());

        run.apply(completed());

        assertThat(run.record.state()).isEqualTo(CANCELED);
        assertThat(run.record.result()).isNull();
        assertThat(run.record.late()).isEqualTo(1);
        assertThat(run.record.history().get(run.record.history().size() - 1).detail())
                .isEqualTo("late command.completed not applied: the command had already ended CANCELED");
    }

    @Test
    void aCancelForAnEndedOrUnknownCommandIsRefusedWithTheReason() {
        Run ended = in(SUCCEEDED);
        Step refused = ended.apply(cancel());
        assertThat(refused.reply().type()).isEqualTo(EventType.COMMAND_CANCEL_REJECTED);
        assertThat(((Rejection) refused.reply().payload()).problems().get(0).message()).startsWith("command cmd-1 already ended SUCCEEDED at ");

        Step unknown = lifecycle.apply(TENANT, null, cancel(), T0, 1);
        assertThat(unknown.changed()).isFalse();
        Rejection rejection = (Rejection) unknown.reply().payload();
        assertThat(rejection.requestType()).isEqualTo(EventType.COMMAND_CANCEL_REQUESTED.type());
        assertThat(rejection.subject()).isEqualTo(CMD);
        assertThat(rejection.problems().get(0).location()).isEqualTo("data.commandId");
        assertThat(rejection.problems().get(0).message()).startsWith("no command cmd-1 in tenant acme");
    }

    @Test
    void theDeliveryDeadlineExpiresAWaitingCommandWithAReasonAndAnAnnouncement() {
        Run queued = new Run(dispatched());
        Step expired = queued.apply(deliveryDeadline());
        assertThat(queued.record.detail()).isEqualTo("not delivered within its TTL (it ended at " + T0.plusSeconds(10) + ")");
        assertThat(expired.reply().type()).isEqualTo(EventType.COMMAND_EXPIRED);
        assertThat(((CommandEnded) expired.reply().payload()).state()).isEqualTo(EXPIRED);

        Run delivered = new Run(dispatched(), delivered(1), delivered(2));
        delivered.apply(deliveryDeadline());
        assertThat(delivered.record.detail()).startsWith("delivered 2 times but not accepted within its TTL");
    }

    @Test
    void theExecutionDeadlineTimesOutAnAcceptedCommandWithoutResult() {
        Run run = new Run(dispatched(), accepted());
        Instant acceptedAt = run.record.history().get(1).at();

        Step timedOut = run.apply(executionDeadline());

        assertThat(run.record.state()).isEqualTo(TIMED_OUT);
        assertThat(run.record.detail()).isEqualTo("accepted at " + acceptedAt + ", no result within 5000 ms");
        assertThat(timedOut.reply().type()).isEqualTo(EventType.COMMAND_TIMED_OUT);
        assertThat(timedOut.reply().partitionKey()).isEqualTo(DEVICE);
    }

    @Test
    void aRedeliveredCancelOrDeadlineThatEndedTheCommandAnswersWithThatEndAgain() {
        Run run = new Run(dispatched());
        CommandInput cancel = cancel();
        Reply first = run.apply(cancel).reply();

        Step again = run.apply(cancel);

        assertThat(again.changed()).isFalse();
        assertThat(again.reply()).as("the first answer may have reached nobody").isEqualTo(first);

        Run expiring = new Run(dispatched());
        CommandInput deadline = deliveryDeadline();
        Reply expired = expiring.apply(deadline).reply();
        assertThat(expiring.apply(deadline).reply()).isEqualTo(expired);
        assertThat(expiring.apply(deliveryDeadline()).reply()).as("another deadline, not the one that ended it").isNull();
    }

    @Test
    void aDeliveryDeadlineEarlierThanTheCommandsExpiryIsStale() {
        Run run = new Run(dispatched());
        assertThat(run.apply(deadline(DeadlineKind.DELIVERY, T0.plusSeconds(9))).verdict()).isEqualTo(Verdict.UNCHANGED);
        assertThat(run.record.state()).isEqualTo(QUEUED);
    }

    // --- late, duplicate, refused ---

    @Test
    void aSecondResultWithItsOwnIdIsCountedLateOnceAndItsCopiesNever() {
        Run run = in(SUCCEEDED);
        CommandInput second = new CommandInput.Completed(id(), completion("another answer"));

        run.apply(second);
        run.apply(second);
        run.apply(second);

        assertThat(run.record.late()).isEqualTo(1);
        assertThat(run.record.result()).as("never applied twice").isEqualTo(completion("done"));
    }

    @Test
    void aDeclineAfterTheAcceptIsRecordedNotApplied() {
        Run run = in(IN_PROGRESS);
        run.apply(declined());
        assertThat(run.record.state()).isEqualTo(IN_PROGRESS);
        assertThat(run.record.history().get(run.record.history().size() - 1).detail())
                .isEqualTo("command.declined not applied: the device had accepted the command (BUSY: queue full)");
        assertThat(run.record.late()).isZero();
    }

    @Test
    void failedAndDeclinedSayWhyInTheRecord() {
        assertThat(in(FAILED).record.detail()).isEqualTo("APP_NOT_INSTALLED: no Settings");
        assertThat(in(REJECTED).record.detail()).isEqualTo("BUSY: queue full");
    }

    @Test
    void aDeviceCannotReportOnAnotherDevicesCommand() {
        Run run = in(IN_PROGRESS);
        CommandInput foreign = new CommandInput.Completed(id(), new CommandCompleted(CMD, "d-other", "mine", null, null));

        assertThatThrownBy(() -> run.apply(foreign)).isInstanceOf(InvalidEventException.class)
                .satisfies(e -> assertThat(((InvalidEventException) e).problems().get(0).location()).isEqualTo("data.deviceId"))
                .hasMessageContaining("command cmd-1 was dispatched to device d-1; device d-other cannot report on it");
    }

    @Test
    void aDispatchForAnotherTenantIsRefused() {
        CommandDispatched foreign = new CommandDispatched(CMD, null, DEVICE, "globex", Placement.DEVICE, new CommandAction(AgentAction.HOME, null),
                RoutingStrategy.LOAD_BALANCE, "x", T0, null, null);
        assertThatThrownBy(() -> lifecycle.apply(TENANT, null, new CommandInput.Dispatched(id(), foreign), T0, 1))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("data.tenant 'globex' does not match the event's tenant 'acme'");
    }

    @Test
    void aSecondDispatchToAnotherDeviceIsRecordedAndTheFirstDeviceKeepsTheCommand() {
        Run run = in(QUEUED);
        CommandDispatched elsewhere = new CommandDispatched(CMD, null, "d-2", TENANT, Placement.DEVICE, new CommandAction(AgentAction.HOME, null),
                RoutingStrategy.LOAD_BALANCE, "retried", T0, null, null);

        run.apply(new CommandInput.Dispatched(id(), elsewhere));

        assertThat(run.last.verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(run.record.deviceId()).isEqualTo(DEVICE);
        assertThat(run.last.deadlines()).isEmpty();
        assertThat(run.last.reply().type()).isEqualTo(EventType.COMMAND_CANCELED);
        assertThat(run.last.reply().partitionKey()).isEqualTo("d-2");
        CommandEnded withdrawn = (CommandEnded) run.last.reply().payload();
        assertThat(withdrawn.deviceId()).isEqualTo("d-2");
        assertThat(withdrawn.state()).isEqualTo(CommandState.CANCELED);
        assertThat(withdrawn.reason()).isEqualTo("dispatched to device " + DEVICE + " first; this device's copy is withdrawn");
    }

    @Test
    void theHistoryIsBoundedKeepingHowItBeganAndTheNewest() {
        Run run = in(SUCCEEDED);
        for (int i = 0; i < 200; i++) {
            run.apply(completed());
        }
        assertThat(run.record.history()).hasSize(CommandLifecycle.MAX_HISTORY);
        assertThat(run.record.history().get(0).state()).isEqualTo(QUEUED);
        assertThat(run.record.late()).isEqualTo(200);
    }

    // --- orphans: a device's word before the dispatch ---

    @Nested
    class Orphans {

        @Test
        void anAcceptBeforeTheDispatchIsKeptInProgressWithTheDefaultTimeoutThenFilledIn() {
            Run run = new Run(accepted());
            assertThat(run.last.verdict()).isEqualTo(Verdict.ORPHAN);
            assertThat(run.record.orphan()).isTrue();
            assertThat(run.record.state()).isEqualTo(IN_PROGRESS);
            assertThat(run.record.history().get(0).detail()).isEqualTo("command.accepted before its command.dispatched");
            assertThat(run.last.deadlines()).extracting(CommandDeadline::due).containsExactly(run.now.plus(DEFAULT_TIMEOUT));

            run.apply(dispatched());

            assertThat(run.last.verdict()).isEqualTo(Verdict.NOTED);
            assertThat(run.record.orphan()).isFalse();
            assertThat(run.record.state()).as("the dispatch does not move it back").isEqualTo(IN_PROGRESS);
            assertThat(run.record.action().type()).isEqualTo(AgentAction.HOME);
            assertThat(run.last.deadlines()).as("past delivery: no delivery deadline").isEmpty();

            run.apply(completed());
            assertThat(run.record.state()).isEqualTo(SUCCEEDED);
        }

        @Test
        void aCompletedBeforeTheDispatchIsKeptAndTheDispatchAddsNoDeadline() {
            Run run = new Run(completed(), dispatched());
            assertThat(run.record.state()).isEqualTo(SUCCEEDED);
            assertThat(run.record.result()).isEqualTo(completion("done"));
            assertThat(run.last.deadlines()).isEmpty();
            assertThat(PendingCommands.toResend(List.of(run.record))).isEmpty();
        }

        @Test
        void aDeliveredOrphanExpiresByItsOwnDeadlineUnlessTheDispatchMovesIt() {
            Run run = new Run(delivered(1));
            Instant orphanDue = run.now.plus(DEFAULT_TTL);
            assertThat(run.last.deadlines()).extracting(CommandDeadline::due).containsExactly(orphanDue);

            Instant later = orphanDue.plusSeconds(60);
            run.apply(new CommandInput.Dispatched(id(), dispatch(CMD, later, null)));
            assertThat(run.last.deadlines()).extracting(CommandDeadline::due).as("the dispatch's own TTL").containsExactly(later);

            assertThat(run.apply(deadline(DeadlineKind.DELIVERY, orphanDue)).verdict()).as("the orphan's deadline is stale now")
                    .isEqualTo(Verdict.UNCHANGED);
            assertThat(run.apply(deadline(DeadlineKind.DELIVERY, later)).verdict()).isEqualTo(Verdict.MOVED);
            assertThat(run.record.state()).isEqualTo(EXPIRED);
        }

        @Test
        void everyKindOfDeviceWordMakesAnOrphanInTheStateItReports() {
            Map<Function<Void, CommandInput>, CommandState> words = Map.of(
                    v -> delivered(1), DELIVERED, v -> accepted(), IN_PROGRESS, v -> progress(5), IN_PROGRESS,
                    v -> completed(), SUCCEEDED, v -> failed(), FAILED, v -> declined(), REJECTED);
            words.forEach((word, state) -> {
                Step step = lifecycle.apply(TENANT, null, word.apply(null), T0, 3);
                assertThat(step.verdict()).isEqualTo(Verdict.ORPHAN);
                assertThat(step.record().state()).isEqualTo(state);
                assertThat(step.record().sequence()).isEqualTo(3);
                assertThat(step.deadlines()).as("a deadline for every orphan that has not ended").hasSize(state.terminal() ? 0 : 1);
            });
        }

        @Test
        void aDispatchToAnotherDeviceThanTheOneThatSpokeIsRefused() {
            Run run = new Run(accepted());
            CommandDispatched elsewhere = new CommandDispatched(CMD, null, "d-2", TENANT, Placement.DEVICE,
                    new CommandAction(AgentAction.HOME, null), RoutingStrategy.LOAD_BALANCE, "x", T0, null, null);
            assertThatThrownBy(() -> run.apply(new CommandInput.Dispatched(id(), elsewhere))).isInstanceOf(InvalidEventException.class)
                    .hasMessageContaining("device d-1 has already reported on it");
        }

        @Test
        void aDeadlineOrUnknownCommandDoesNothing() {
            assertThat(lifecycle.apply(TENANT, null, executionDeadline(), T0, 1).verdict()).isEqualTo(Verdict.UNCHANGED);
        }
    }

    // --- batches ---

    @Nested
    class Batches {

        CommandDispatched member(String commandId) {
            return new CommandDispatched(commandId, "b-1", DEVICE, TENANT, Placement.DEVICE, new CommandAction(AgentAction.HOME, null),
                    RoutingStrategy.LOAD_BALANCE, "x", T0, T0.plusSeconds(10), null);
        }

        @Test
        void aBatchDispatchCreatesItsMembersWithTheBatchSize() {
            Step step = lifecycle.apply(TENANT, null, new CommandInput.BatchMember("evt-batch", member("m-1"), 2), T0, 1);
            assertThat(step.record().batchId()).isEqualTo("b-1");
            assertThat(step.record().batchSize()).isEqualTo(2);
            assertThat(step.record().history().get(0).detail()).isEqualTo("command.batch.dispatched (batch b-1, 2 members)");
            assertThat(step.deadlines()).hasSize(1);

            Step again = lifecycle.apply(TENANT, step.record(), new CommandInput.BatchMember("evt-batch", member("m-1"), 2), T0, 1);
            assertThat(again.changed()).isFalse();
            Step itsOwnDispatch = lifecycle.apply(TENANT, step.record(), new CommandInput.Dispatched("evt-own", member("m-1")), T0, 1);
            assertThat(itsOwnDispatch.changed()).isFalse();
        }

        @Test
        void aMemberDispatchedOnItsOwnFirstLearnsItsBatchSizeFromTheBatch() {
            Step own = lifecycle.apply(TENANT, null, new CommandInput.Dispatched("evt-own", member("m-1")), T0, 1);
            assertThat(own.record().batchSize()).isNull();

            Step batch = lifecycle.apply(TENANT, own.record(), new CommandInput.BatchMember("evt-batch", member("m-1"), 3), T0, 1);

            assertThat(batch.verdict()).isEqualTo(Verdict.NOTED);
            assertThat(batch.record().batchSize()).isEqualTo(3);
            assertThat(batch.deadlines()).as("its deadline was scheduled with its own dispatch").isEmpty();
        }
    }

    @Test
    void theDefaultsMustBePositive() {
        assertThatThrownBy(() -> new CommandLifecycle(Duration.ZERO, DEFAULT_TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommandLifecycle(DEFAULT_TTL, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
