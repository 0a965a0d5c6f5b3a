package io.autoglm.fleet.liveness;

import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.device.LivenessStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.autoglm.fleet.liveness.LivenessSimulation.TENANT;
import static io.autoglm.fleet.liveness.LivenessSimulation.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

class LivenessEvaluatorTest {

    private static final LivenessPolicy POLICY = LivenessPolicy.DEFAULT;
    /** Pulsar's default delayed-delivery tick. */
    private static final long TICK = 1000;

    @Test
    void theFirstHeartbeatBringsTheDeviceOnlineAndSchedulesOneDeadline() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);

        LivenessVerdict verdict = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000);

        assertThat(verdict.kind()).isEqualTo(LivenessVerdict.Kind.ACCEPTED);
        DeviceStatusChanged online = verdict.statusChange().orElseThrow();
        assertThat(online.previous()).isNull();
        assertThat(online.current()).isEqualTo(LivenessStatus.ONLINE);
        assertThat(online.reason()).isEqualTo("first heartbeat");
        LivenessDeadline deadline = verdict.nextDeadline().orElseThrow();
        assertThat(deadline.stage()).isEqualTo(LivenessStatus.SUSPECT);
        assertThat(deadline.heartbeatSeq()).isEqualTo(1);
        // a new device is assumed to beat every second +- 250 ms: suspect after 1 + 5.6 * 0.25 = 2.4 s
        assertThat(deadline.dueAt()).isEqualTo(Instant.ofEpochMilli(12_403));
    }

    @Test
    void theListenerHearsEachTransitionOnceWithTheSilenceThatCausedIt() {
        List<String> heard = new ArrayList<>();
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0,
                (transition, silentMillis) -> heard.add(transition.previous() + "->" + transition.current() + " after " + silentMillis));
        LivenessDeadline suspectAt = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000).nextDeadline().orElseThrow();

        LivenessVerdict suspect = evaluator.onDeadline(suspectAt, suspectAt.dueAt().toEpochMilli() + 100);
        evaluator.onDeadline(suspectAt, suspectAt.dueAt().toEpochMilli() + 900); // redelivered: announced again, not a transition

        assertThat(suspect.statusChange()).map(DeviceStatusChanged::current).contains(LivenessStatus.SUSPECT);
        assertThat(heard).containsExactly("null->ONLINE after 0", "ONLINE->SUSPECT after " + (suspectAt.dueAt().toEpochMilli() + 100 - 10_000));
    }

    @Test
    void furtherHeartbeatsWriteNothingWhileADeadlineIsOutstanding() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000);

        LivenessVerdict second = evaluator.onHeartbeat(TENANT, heartbeat("d1", 2, 11_000), 11_000);

        assertThat(second.kind()).isEqualTo(LivenessVerdict.Kind.ACCEPTED);
        assertThat(second.messagesWritten()).isZero();
    }

    @Test
    void duplicatesAndOutOfOrderHeartbeatsAreIgnoredAndCounted() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        evaluator.onHeartbeat(TENANT, heartbeat("d1", 5, 10_000), 10_000);

        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("d1", 5, 10_000), 10_100).kind()).isEqualTo(LivenessVerdict.Kind.DUPLICATE);
        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("d1", 4, 9_000), 10_200).kind()).isEqualTo(LivenessVerdict.Kind.OUT_OF_ORDER);
        assertThat(evaluator.counters().duplicates()).isEqualTo(1);
        assertThat(evaluator.counters().outOfOrder()).isEqualTo(1);
        assertThat(evaluator.counters().heartbeats()).isEqualTo(1);
    }

    @Test
    void aRedeliveredHeartbeatAnnouncesTheTransitionItCausedAgain() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        LivenessVerdict first = evaluator.onHeartbeat(TENANT, heartbeat("d1", 5, 10_000), 10_000);
        assertThat(first.statusChange()).isPresent();

        // the dispatcher's attempt timed out after the function had taken it: the copy must not swallow the ONLINE
        LivenessVerdict retried = evaluator.onHeartbeat(TENANT, heartbeat("d1", 5, 10_000), 15_000);
        assertThat(retried.kind()).isEqualTo(LivenessVerdict.Kind.DUPLICATE);
        assertThat(retried.statusChange()).isEqualTo(first.statusChange());
        assertThat(retried.nextDeadline()).isEmpty();

        evaluator.onHeartbeat(TENANT, heartbeat("d1", 6, 11_000), 15_100);
        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("d1", 6, 11_000), 15_200).statusChange())
                .as("a copy of a heartbeat that changed nothing changes nothing").isEmpty();
        assertThat(evaluator.counters().transitions()).isEqualTo(1);
    }

    @Test
    void aStatusWhoseAnnouncementReachedNobodyIsAnnouncedByTheNextHeartbeat() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        DeviceStatusChanged online = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000).statusChange().orElseThrow();

        // the dispatcher had given up on the first heartbeat (its tenant's tables were still opening) and dead-lettered it
        evaluator.announcementLost(online);

        LivenessVerdict next = evaluator.onHeartbeat(TENANT, heartbeat("d1", 2, 11_000), 11_000);
        assertThat(next.kind()).isEqualTo(LivenessVerdict.Kind.ACCEPTED);
        assertThat(next.statusChange()).contains(online);
        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("d1", 2, 11_000), 11_100).statusChange())
                .as("a retried copy of the heartbeat that announced it announces it too").contains(online);
        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("d1", 3, 12_000), 12_000).statusChange())
                .as("once announced, later heartbeats are quiet again").isEmpty();
        assertThat(evaluator.counters().transitions()).isEqualTo(1);
        assertThat(evaluator.counters().reannounced()).isEqualTo(1);
    }

    @Test
    void aRedeliveredDeadlineAnnouncesTheTransitionItCausedAgain() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        LivenessDeadline first = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000).nextDeadline().orElseThrow();
        LivenessVerdict suspect = evaluator.onDeadline(first, first.dueAt().toEpochMilli());
        LivenessDeadline second = suspect.nextDeadline().orElseThrow();

        // the dispatcher's attempt timed out after the function had taken it: the copy must not be ignored as superseded
        LivenessVerdict copy = evaluator.onDeadline(first, first.dueAt().toEpochMilli() + 5_000);
        assertThat(copy.statusChange()).isEqualTo(suspect.statusChange());
        assertThat(copy.nextDeadline()).as("the chain goes on from the original").isEmpty();

        LivenessVerdict offline = evaluator.onDeadline(second, second.dueAt().toEpochMilli());
        assertThat(offline.statusChange()).map(DeviceStatusChanged::current).contains(LivenessStatus.OFFLINE);
        assertThat(evaluator.onDeadline(second, second.dueAt().toEpochMilli() + 5_000).statusChange())
                .as("nor ignored as idle once OFFLINE").isEqualTo(offline.statusChange());
        assertThat(evaluator.onDeadline(first, first.dueAt().toEpochMilli() + 6_000).statusChange())
                .as("a copy of a deadline whose change has been overtaken announces nothing").isEmpty();
        assertThat(evaluator.counters().transitions()).isEqualTo(3);
    }

    @Test
    void aLostAnnouncementOfAStatusTheDeviceHasSinceLeftIsNotRepeated() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        LivenessVerdict first = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000);
        DeviceStatusChanged online = first.statusChange().orElseThrow();
        // silent: the deadline finds it SUSPECT, and that change was announced
        LivenessVerdict suspect = evaluator.onDeadline(first.nextDeadline().orElseThrow(), 12_403);
        assertThat(suspect.statusChange()).map(DeviceStatusChanged::current).contains(LivenessStatus.SUSPECT);

        evaluator.announcementLost(online);

        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("d1", 2, 12_500), 12_500).statusChange())
                .as("the stale ONLINE is not announced over the SUSPECT that followed it").isEmpty();
    }

    @Test
    void aDeviceThatRestartedItsCounterIsHeardAgain() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        evaluator.onHeartbeat(TENANT, heartbeat("d1", 900, 10_000), 10_000);

        LivenessVerdict afterReboot = evaluator.onHeartbeat(TENANT, heartbeat("d1", 0, 40_000), 40_000);

        assertThat(afterReboot.kind()).isEqualTo(LivenessVerdict.Kind.ACCEPTED);
    }

    @Test
    void aSteadyDeviceStaysOnlineAtAboutHalfAMessagePerHeartbeat() {
        LivenessSimulation run = new LivenessSimulation(POLICY, TICK);
        run.beats("d1", 0, 600_000, at -> 1000);

        run.runUntil(600_000);

        assertThat(run.transitions).extracting(DeviceStatusChanged::current).containsExactly(LivenessStatus.ONLINE);
        double perHeartbeat = run.evaluator.counters().messagesPerHeartbeat();
        assertThat(perHeartbeat).isLessThanOrEqualTo(0.7).isEqualTo((double) run.messagesWritten / 600, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void heartbeatsJitteredByHalfTheIntervalNeverMakeADeviceSuspectOrOffline() {
        LivenessSimulation run = new LivenessSimulation(POLICY, TICK);
        Random random = new Random(42);
        for (int d = 0; d < 1000; d++) {
            run.beats("d" + d, random.nextInt(1000), 300_000, at -> 500 + random.nextInt(1001));
        }

        run.runUntil(300_000);

        assertThat(run.transitions).extracting(DeviceStatusChanged::current).containsOnly(LivenessStatus.ONLINE).hasSize(1000);
        assertThat(run.evaluator.counters().messagesPerHeartbeat()).isLessThan(1.5);
    }

    @Test
    void aSilentDeviceGoesSuspectThenOfflineWithinTheTimeoutPlusOneTick() {
        LivenessSimulation run = new LivenessSimulation(POLICY, TICK);
        run.beats("d1", 0, 60_000, at -> 1000);
        long lastHeartbeat = 59_000;

        run.runUntil(120_000);

        List<DeviceStatusChanged> changes = run.transitionsOf("d1");
        assertThat(changes).extracting(DeviceStatusChanged::current)
                .containsExactly(LivenessStatus.ONLINE, LivenessStatus.SUSPECT, LivenessStatus.OFFLINE);
        DeviceStatusChanged suspect = changes.get(1);
        DeviceStatusChanged offline = changes.get(2);
        assertThat(suspect.previous()).isEqualTo(LivenessStatus.ONLINE);
        assertThat(suspect.reason()).startsWith("no heartbeat for ").contains("suspect after 2.0 s");
        assertThat(offline.previous()).isEqualTo(LivenessStatus.SUSPECT);
        assertThat(offline.lastHeartbeatSeq()).isEqualTo(60);
        long delay = offline.changedAt().toEpochMilli() - lastHeartbeat;
        assertThat(delay).isBetween(POLICY.timeout().toMillis(), POLICY.timeout().toMillis() + TICK);
    }

    @Test
    void comingBackTakesTwoTimelyHeartbeats() {
        LivenessSimulation run = new LivenessSimulation(POLICY, 100);
        run.beats("d1", 0, 10_000, at -> 1000);
        run.runUntil(20_000);
        assertThat(run.evaluator.statusOf(TENANT, "d1")).isEqualTo(LivenessStatus.OFFLINE);

        run.heartbeatAt("d1", 20_000);
        run.runUntil(20_500);
        assertThat(run.evaluator.statusOf(TENANT, "d1")).as("one heartbeat is not enough").isEqualTo(LivenessStatus.OFFLINE);
        run.heartbeatAt("d1", 21_000);
        run.runUntil(21_500);

        assertThat(run.evaluator.statusOf(TENANT, "d1")).isEqualTo(LivenessStatus.ONLINE);
        assertThat(run.transitionsOf("d1")).last().extracting(DeviceStatusChanged::reason)
                .isEqualTo("2 consecutive heartbeats on time after OFFLINE");
    }

    @Test
    void aLateHeartbeatDoesNotCountTowardsRecovery() {
        LivenessSimulation run = new LivenessSimulation(POLICY, 100);
        run.beats("d1", 0, 10_000, at -> 1000);
        run.runUntil(11_500);
        assertThat(run.evaluator.statusOf(TENANT, "d1")).isEqualTo(LivenessStatus.SUSPECT);

        run.heartbeatAt("d1", 11_600);
        run.heartbeatAt("d1", 16_000);
        run.runUntil(16_100);

        assertThat(run.evaluator.statusOf(TENANT, "d1")).isNotEqualTo(LivenessStatus.ONLINE);
    }

    @Test
    void aDeviceWhoseLinkRoutinelyPausesGetsMoreTimeThanASteadyOne() {
        LivenessSimulation run = new LivenessSimulation(POLICY, 100);
        Random random = new Random(7);
        // a mobile link: mostly 0.5 s gaps, one in five 2.5 s, learnt for five minutes
        run.beats("mobile", 0, 300_000, at -> random.nextInt(5) == 0 ? 2500 : 500);
        run.beats("steady", 0, 300_000, at -> 1000);
        run.runUntil(300_000);
        // both then fall silent for 3.5 s and resume
        run.heartbeatAt("mobile", 303_500);
        run.heartbeatAt("steady", 303_500);
        run.runUntil(304_000);

        assertThat(run.transitionsOf("mobile")).extracting(DeviceStatusChanged::current).doesNotContain(LivenessStatus.OFFLINE);
        assertThat(run.transitionsOf("steady")).extracting(DeviceStatusChanged::current).contains(LivenessStatus.OFFLINE);
    }

    @Test
    void onlyTheOutstandingDeadlineCounts() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        LivenessDeadline live = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000).nextDeadline().orElseThrow();
        LivenessDeadline stranger = new LivenessDeadline("d1", TENANT, 1, LivenessStatus.SUSPECT, live.dueAt().minusMillis(5));

        assertThat(evaluator.onDeadline(stranger, 13_000).kind()).isEqualTo(LivenessVerdict.Kind.SUPERSEDED);
        LivenessVerdict expired = evaluator.onDeadline(live, 13_000);
        assertThat(expired.kind()).isEqualTo(LivenessVerdict.Kind.EXPIRED);
        LivenessVerdict again = evaluator.onDeadline(live, 13_100);
        assertThat(again.statusChange()).as("a second delivery of the same deadline only repeats its change")
                .isEqualTo(expired.statusChange());
        assertThat(again.nextDeadline()).isEmpty();
        assertThat(evaluator.onDeadline(stranger, 13_200).kind()).isEqualTo(LivenessVerdict.Kind.SUPERSEDED);
        assertThat(evaluator.counters().superseded()).isEqualTo(2);
    }

    @Test
    void aDeadlineThatFindsARecentHeartbeatSchedulesTheNextCheckFromIt() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        LivenessDeadline first = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000).nextDeadline().orElseThrow();
        evaluator.onHeartbeat(TENANT, heartbeat("d1", 2, 11_000), 11_000);
        evaluator.onHeartbeat(TENANT, heartbeat("d1", 3, 12_000), 12_000);

        LivenessVerdict fired = evaluator.onDeadline(first, first.dueAt().toEpochMilli());

        assertThat(fired.kind()).isEqualTo(LivenessVerdict.Kind.ON_TIME);
        assertThat(fired.statusChange()).isEmpty();
        LivenessDeadline next = fired.nextDeadline().orElseThrow();
        assertThat(next.heartbeatSeq()).isEqualTo(3);
        assertThat(next.dueAt().toEpochMilli()).isGreaterThan(12_000 + 2_000);
    }

    @Test
    void aDeadlineTheBrokerRefusedIsScheduledAgainByTheNextHeartbeat() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        LivenessDeadline refused = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 10_000), 10_000).nextDeadline().orElseThrow();

        evaluator.deadlineNotScheduled(refused);

        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("d1", 2, 11_000), 11_000).nextDeadline()).isPresent();
    }

    @Test
    void afterARestartDevicesComeBackWithTheirStatusAndAGracePeriod() {
        long restart = 100_000;
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, restart);
        evaluator.restore(new DeviceStatusChanged("alive", TENANT, null, LivenessStatus.ONLINE, "first heartbeat", 7,
                Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(1_000)));
        evaluator.restore(new DeviceStatusChanged("gone", TENANT, LivenessStatus.SUSPECT, LivenessStatus.OFFLINE, "no heartbeat", 3,
                Instant.ofEpochMilli(2_000), Instant.ofEpochMilli(5_000)));
        LivenessDeadline leftByThePreviousInstance = new LivenessDeadline("alive", TENANT, 7, LivenessStatus.SUSPECT,
                Instant.ofEpochMilli(restart + 500));

        LivenessVerdict adopted = evaluator.onDeadline(leftByThePreviousInstance, restart + 500);

        assertThat(adopted.kind()).as("queued heartbeats may still be on their way").isEqualTo(LivenessVerdict.Kind.ON_TIME);
        assertThat(evaluator.statusOf(TENANT, "gone")).isEqualTo(LivenessStatus.OFFLINE);
        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("alive", 8, restart + 900), restart + 900).statusChange()).isEmpty();
        assertThat(evaluator.onHeartbeat(TENANT, heartbeat("gone", 2, 1_900), restart + 900).kind())
                .as("seq 2 is older than the recorded 3").isEqualTo(LivenessVerdict.Kind.OUT_OF_ORDER);
    }

    @Test
    void aSilentRestoredDeviceIsSuspectedOneGapAfterTheRestart() {
        long restart = 100_000;
        LivenessSimulation run = new LivenessSimulation(new LivenessEvaluator(tenant -> POLICY, restart), 100);
        run.evaluator.restore(new DeviceStatusChanged("d1", TENANT, null, LivenessStatus.ONLINE, "first heartbeat", 7,
                Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(1_000)));
        LivenessVerdict adopted = run.evaluator.onDeadline(new LivenessDeadline("d1", TENANT, 7, LivenessStatus.SUSPECT,
                Instant.ofEpochMilli(restart + 100)), restart + 100);
        assertThat(adopted.nextDeadline()).isPresent();
        // deliver the chain onwards
        LivenessDeadline next = adopted.nextDeadline().get();
        LivenessVerdict suspect = run.evaluator.onDeadline(next, next.dueAt().toEpochMilli());

        assertThat(suspect.statusChange()).map(DeviceStatusChanged::current).contains(LivenessStatus.SUSPECT);
        assertThat(next.dueAt().toEpochMilli() - restart).isBetween(2_000L, 3_000L);
    }

    @Test
    void tenantsHaveTheirOwnPolicies() {
        LivenessPolicy slow = new LivenessPolicy(Duration.ofSeconds(10), Duration.ofSeconds(30), 8.0, Duration.ofMillis(100), 3.0, 2);
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> tenant.equals("slow") ? slow : POLICY, 0);

        long fast = evaluator.onHeartbeat("acme", heartbeat("d1", 1, 0), 0).nextDeadline().orElseThrow().dueAt().toEpochMilli();
        long patient = evaluator.onHeartbeat("slow", heartbeat("d1", 1, 0), 0).nextDeadline().orElseThrow().dueAt().toEpochMilli();

        assertThat(fast).isLessThan(3_000);
        assertThat(patient).isGreaterThanOrEqualTo(20_000);
    }

    @Test
    void aForgottenDeviceEndsItsChain() {
        LivenessEvaluator evaluator = new LivenessEvaluator(tenant -> POLICY, 0);
        LivenessDeadline deadline = evaluator.onHeartbeat(TENANT, heartbeat("d1", 1, 0), 0).nextDeadline().orElseThrow();

        evaluator.forget(TENANT, "d1");

        assertThat(evaluator.onDeadline(deadline, 5_000).kind()).isEqualTo(LivenessVerdict.Kind.IDLE);
    }

    @Test
    void aStalledFeedPostponesTransitionsInsteadOfTakingTheWholeTenantOffline() {
        LivenessSimulation run = new LivenessSimulation(POLICY, 100);
        for (int d = 0; d < 10; d++) {
            run.beats("d" + d, 0, 30_000, at -> 1000);
            run.beats("d" + d, 35_000, 60_000, at -> 1000);
        }

        run.runUntil(60_000);

        assertThat(run.transitions).extracting(DeviceStatusChanged::current).containsOnly(LivenessStatus.ONLINE).hasSize(10);
        assertThat(run.evaluator.counters().postponed()).isPositive();
    }

    @Test
    void aTenantThatReallyWentDarkIsOfflineByTheLongestTimeout() {
        LivenessSimulation run = new LivenessSimulation(POLICY, 100);
        for (int d = 0; d < 10; d++) {
            run.beats("d" + d, 0, 30_000, at -> 1000);
        }

        run.runUntil(60_000);

        List<DeviceStatusChanged> offline = run.transitionsTo(LivenessStatus.OFFLINE);
        assertThat(offline).hasSize(10);
        assertThat(offline).allSatisfy(change -> assertThat(change.changedAt().toEpochMilli() - 29_000)
                .isBetween(POLICY.timeout().toMillis(), (long) (POLICY.timeout().toMillis() * POLICY.maxStretch()) + 200));
    }

    @Test
    void oneSilentDeviceAmongLiveOnesIsNotMistakenForAStall() {
        LivenessSimulation run = new LivenessSimulation(POLICY, 100);
        for (int d = 0; d < 10; d++) {
            run.beats("d" + d, 0, d == 0 ? 30_000 : 60_000, at -> 1000);
        }

        run.runUntil(60_000);

        assertThat(run.transitionsTo(LivenessStatus.OFFLINE)).singleElement().satisfies(change -> {
            assertThat(change.deviceId()).isEqualTo("d0");
            assertThat(change.changedAt().toEpochMilli() - 29_000).isBetween(3_000L, 3_200L);
        });
    }

    @Test
    void whenTheHeartbeatPipelineFallsBehindThresholdsStretchByItsLagInsteadOfDevicesGoingSuspect() {
        LivenessSimulation run = new LivenessSimulation(POLICY, 100);
        // heartbeats take 20 ms to arrive, but from 60 s to 90 s the pipeline backs up to 4 s; deadlines are not delayed
        java.util.function.LongUnaryOperator transit = sentAt -> sentAt >= 60_000 && sentAt < 90_000 ? 20 + Math.min(4_000, (sentAt - 60_000) / 2) : 20;
        for (int d = 0; d < 20; d++) {
            run.beats("d" + d, 0, d == 0 ? 75_000 : 150_000, at -> 1000, transit);
        }

        run.runUntil(150_000);

        assertThat(run.transitionsTo(LivenessStatus.SUSPECT)).extracting(DeviceStatusChanged::deviceId).containsOnly("d0");
        assertThat(run.transitionsTo(LivenessStatus.OFFLINE)).singleElement().satisfies(change -> {
            assertThat(change.deviceId()).isEqualTo("d0");
            assertThat(change.reason()).contains("pipeline lag");
        });
    }

    @Test
    void devicesClocksNeedNotAgreeWithTheFunctions() {
        LivenessSimulation run = new LivenessSimulation(POLICY, 100);
        // one device's clock is 40 s behind, another's 25 s ahead; both heartbeats arrive 20 ms after they leave
        for (long at = 0; at < 60_000; at += 1000) {
            run.heartbeatAt("behind", at - 40_000, at + 20);
            run.heartbeatAt("ahead", at + 25_000, at + 20);
        }

        run.runUntil(60_000);

        assertThat(run.transitions).extracting(DeviceStatusChanged::current).containsOnly(LivenessStatus.ONLINE);
    }
}
