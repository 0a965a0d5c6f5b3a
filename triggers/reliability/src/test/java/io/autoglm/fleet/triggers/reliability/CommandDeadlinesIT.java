package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.CommandTransition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command's deadlines on the real loop, as Pulsar delayed messages: no process keeps a timer.
 * <ul>
 * <li>a device that is offline (never connects): its commands end EXPIRED once their TTL ({@link #TTL}) is over, within
 * {@link #LATENESS} after it, and not before;</li>
 * <li>a device that accepts a command and then says nothing: it ends TIMED_OUT once its execution timeout ({@link #TIMEOUT})
 * after the acceptance is over, within {@link #LATENESS} after it, and not before.</li>
 * </ul>
 */
class CommandDeadlinesIT {

    private static final String TENANT = "deadlines";
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** How late after its deadline a command may end: the delayed message's delivery, the dispatcher, the function, the table. */
    static final Duration LATENESS = Duration.ofSeconds(5);
    private static final int COMMANDS = 5;

    @Test
    void theCommandsOfAnOfflineDeviceExpireAfterTheirTtl() throws Exception {
        DeviceLoop loop = DeviceLoop.shared();
        try (DeviceLoop.CommandStates states = loop.states(TENANT)) {
            List<String> ids = new ArrayList<>();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int n = 0; n < COMMANDS; n++) {
                String id = "offline-" + n;
                ids.add(id);
                writes.add(loop.dispatch(TENANT, "never-connects-" + (n % 2), id, TTL, Duration.ofSeconds(30)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            Map<String, CommandRecord> outcomes = states.awaitTerminal(ids, TTL.plus(LATENESS).plusSeconds(30));

            List<Long> lateMs = new ArrayList<>();
            outcomes.values().forEach(r -> {
                if (r != null && r.state().terminal()) {
                    lateMs.add(Duration.between(r.expiresAt(), ended(r)).toMillis());
                }
            });
            System.out.printf("offline device: %d commands with a TTL of %d s: %s, ended %s ms after their TTL%n", COMMANDS, TTL.toSeconds(),
                    DeviceLoop.CommandStates.byState(outcomes), lateMs);
            assertThat(outcomes).allSatisfy((id, record) -> {
                assertThat(record).as(id).isNotNull();
                assertThat(record.state()).as("%s: %s", id, record.history()).isEqualTo(CommandState.EXPIRED);
                assertThat(record.deliveries()).as("never delivered").isZero();
                Duration late = Duration.between(record.expiresAt(), ended(record));
                assertThat(late).as("%s ended after its TTL", id).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(LATENESS);
            });
        }
    }

    @Test
    void aCommandAcceptedByADeviceThatThenGoesSilentTimesOut() throws Exception {
        DeviceLoop loop = DeviceLoop.shared();
        try (DeviceSwarm silent = loop.swarm(TENANT, COMMANDS, DeviceSwarm.Behaviour.ACCEPT_ONLY, "silent");
             DeviceLoop.CommandStates states = loop.states(TENANT)) {
            silent.connect(0);
            assertThat(silent.awaitOpen(COMMANDS, Duration.ofSeconds(30))).as("devices connected").isTrue();
            Thread.sleep(1_000); // their device.connected through the loop: nothing is pending for them
            List<String> ids = new ArrayList<>();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int n = 0; n < COMMANDS; n++) {
                String id = "silent-" + n;
                ids.add(id);
                writes.add(loop.dispatch(TENANT, silent.deviceIds().get(n), id, Duration.ofMinutes(2), TIMEOUT));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            Map<String, CommandRecord> outcomes = states.awaitTerminal(ids, TIMEOUT.plus(LATENESS).plusSeconds(30));

            List<Long> lateMs = new ArrayList<>();
            outcomes.values().forEach(r -> {
                if (r != null && r.state() == CommandState.TIMED_OUT) {
                    lateMs.add(Duration.between(accepted(r).plus(TIMEOUT), ended(r)).toMillis());
                }
            });
            System.out.printf("silent device: %d commands accepted, execution timeout %d s: %s, ended %s ms after it%n", COMMANDS,
                    TIMEOUT.toSeconds(), DeviceLoop.CommandStates.byState(outcomes), lateMs);
            assertThat(silent.executed()).as("every command reached its device").containsAll(ids);
            assertThat(outcomes).allSatisfy((id, record) -> {
                assertThat(record).as(id).isNotNull();
                assertThat(record.state()).as("%s: %s", id, record.history()).isEqualTo(CommandState.TIMED_OUT);
                assertThat(record.result()).isNull();
                Duration late = Duration.between(accepted(record).plus(TIMEOUT), ended(record));
                assertThat(late).as("%s ended after its execution timeout", id).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(LATENESS);
            });
        }
    }

    /** When the command entered its last state. */
    private static Instant ended(CommandRecord record) {
        List<CommandTransition> history = record.history();
        return history.get(history.size() - 1).at();
    }

    /** When the function recorded the device's acceptance. */
    private static Instant accepted(CommandRecord record) {
        return record.history().stream().filter(t -> t.state() == CommandState.IN_PROGRESS).findFirst().orElseThrow().at();
    }
}
