package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.commands.CommandInput;
import io.autoglm.fleet.commands.CommandLifecycle;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.state.testing.InMemoryStateTopic;
import io.autoglm.fleet.state.testing.RecordingPublisher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CommandServiceTest {

    static final String TENANT = "acme";
    static final String DEVICE = "d-1";

    private final InMemoryStateTopic<CommandRecord> table = new InMemoryStateTopic<>();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
    private CommandService service = newService();

    private CommandService newService() {
        return new CommandService(new CommandLifecycle(Duration.ofMinutes(5), Duration.ofSeconds(60)), table, publisher, clock);
    }

    private CommandDispatched dispatch(String commandId, String batchId) {
        return new CommandDispatched(commandId, batchId, DEVICE, TENANT, Placement.DEVICE, new CommandAction(AgentAction.HOME, Map.of()),
                RoutingStrategy.LOAD_BALANCE, "x", clock.instant(), null, null);
    }

    private void apply(CommandInput input) {
        service.apply(TENANT, input).join();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private CommandRecord record(String commandId) {
        return table.tableOf(TENANT).get(commandId).orElseThrow();
    }

    private List<String> resentOnConnect() {
        publisher.clear();
        service.connected(TENANT, new DevicePresence(DEVICE, "gw", "c", clock.instant(), null)).join();
        return publisher.published.stream().map(e -> Events.payload(e, CommandDispatched.class).commandId()).toList();
    }

    @Test
    void eventsForOneCommandNeverRaceEvenWhenTheyArriveTogether() throws Exception {
        apply(new CommandInput.Dispatched(id(), dispatch("c1", null)));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int attempt = 1; attempt <= 200; attempt++) {
            CommandInput delivered = new CommandInput.Delivered(id(), new CommandDelivered("c1", DEVICE, "gw", attempt, clock.instant()));
            all.add(CompletableFuture.supplyAsync(() -> service.apply(TENANT, delivered), threads).thenCompose(reply -> reply));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        threads.shutdown();

        assertThat(record("c1").deliveries()).as("no update lost").isEqualTo(200);
        assertThat(record("c1").state()).isEqualTo(CommandState.DELIVERED);
    }

    @Test
    void aFreshProcessRebuildsItsIndexFromTheTable() {
        apply(new CommandInput.Dispatched(id(), dispatch("c1", null)));
        apply(new CommandInput.Dispatched(id(), dispatch("c2", null)));
        apply(new CommandInput.Completed(id(), new CommandCompleted("c1", DEVICE, null, null, null)));

        service = newService();

        assertThat(resentOnConnect()).containsExactly("c2");
        assertThat(service.commandsOf(TENANT, DEVICE, Set.of()).join()).extracting(CommandRecord::commandId).containsExactly("c1", "c2");
        apply(new CommandInput.Dispatched(id(), dispatch("c3", null)));
        assertThat(record("c3").sequence()).as("numbering goes on after the table's").isGreaterThan(record("c2").sequence());
    }

    @Test
    void aBatchIsAnnouncedOnceAlsoWhenItsLastEventsAreRedelivered() {
        service.batchDispatched(TENANT, id(), new CommandBatchDispatched("b1", List.of(dispatch("m1", "b1"), dispatch("m2", "b1")))).join();
        CommandInput last = new CommandInput.Completed(id(), new CommandCompleted("m2", DEVICE, null, null, null));
        apply(new CommandInput.Completed(id(), new CommandCompleted("m1", DEVICE, null, null, null)));
        apply(last);
        apply(last);

        assertThat(publisher.published).extracting(e -> e.getType()).containsExactly(EventType.COMMAND_BATCH_COMPLETED.type());
        assertThat(service.batchesCompleted()).isEqualTo(1);
    }

    @Test
    void commandsThatEndedLongerAgoThanTheRetentionAreRemovedUnlessTheirBatchRuns() {
        apply(new CommandInput.Dispatched(id(), dispatch("old", null)));
        apply(new CommandInput.Completed(id(), new CommandCompleted("old", DEVICE, null, null, null)));
        apply(new CommandInput.Dispatched(id(), dispatch("waiting", null)));
        service.batchDispatched(TENANT, id(), new CommandBatchDispatched("b1", List.of(dispatch("m1", "b1"), dispatch("m2", "b1")))).join();
        apply(new CommandInput.Completed(id(), new CommandCompleted("m1", DEVICE, null, null, null)));
        clock.advance(Duration.ofHours(2));
        apply(new CommandInput.Dispatched(id(), dispatch("recent", null)));
        apply(new CommandInput.Completed(id(), new CommandCompleted("recent", DEVICE, null, null, null)));

        int removed = service.forgetEnded(Duration.ofHours(1)).join();

        assertThat(removed).isEqualTo(1);
        assertThat(table.tableOf(TENANT).get("old")).isEmpty();
        assertThat(table.tableOf(TENANT).get("m1")).as("its batch still runs").isPresent();
        assertThat(service.commandsOf(TENANT, DEVICE, Set.of()).join()).extracting(CommandRecord::commandId)
                .containsExactlyInAnyOrder("waiting", "m1", "m2", "recent");
        assertThat(resentOnConnect()).containsExactly("waiting", "m2");
    }
}
