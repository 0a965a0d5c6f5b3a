package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.agent.TaskEffect;
import io.autoglm.fleet.agent.TaskInput;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Delivery;
import io.autoglm.fleet.events.task.DeviceReservation;
import io.autoglm.fleet.routing.FleetIndex;
import io.autoglm.fleet.routing.Router;
import io.autoglm.fleet.routing.RoutingDecision;
import io.autoglm.fleet.routing.views.FleetViews;
import io.autoglm.fleet.state.KeySequencer;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A task's {@link TaskEffect.Place}, carried out in-process: the routing core's choice ({@link Router}) on the tenant's fleet
 * view among the ONLINE devices that qualify for the task and can observe, never a device another task holds (its
 * reservation not stale) nor one the task lost; the chosen device reserved for the task in the tenant's reservation table.
 * The same placement decided again (a redelivered input after a crash) finds its reservation and gets the same device.
 *
 * <p>Placements and releases of one tenant run one at a time ({@link KeySequencer}), so two tasks placed at once in this
 * process never get one device; across processes the table has no compare-and-set: run one instance per set of tenants, as
 * the commands function does.
 */
public final class TaskPlacement {

    private final Router router;
    private final FleetViews fleets;
    private final StateTopic<DeviceReservation> reservations;
    private final Duration idleTimeout;
    private final KeySequencer sequencer = new KeySequencer();

    public TaskPlacement(Router router, FleetViews fleets, StateTopic<DeviceReservation> reservations, Duration idleTimeout) {
        this.router = Objects.requireNonNull(router, "router");
        this.fleets = Objects.requireNonNull(fleets, "fleets");
        this.reservations = Objects.requireNonNull(reservations, "reservations");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    }

    /** Places the task and reserves the device: a {@link TaskInput.Placed} or a {@link TaskInput.NotPlaced} with the router's reasons. */
    public CompletableFuture<TaskInput> place(String tenant, TaskEffect.Place place, Instant now) {
        return reservations.table(tenant).thenCompose(table -> fleets.of(tenant).thenCompose(fleet ->
                sequencer.submit(tenant, () -> place(tenant, table, fleet, place, now))));
    }

    private CompletableFuture<TaskInput> place(String tenant, StateTable<DeviceReservation> table, FleetIndex fleet, TaskEffect.Place place,
                                               Instant now) {
        Optional<DeviceReservation> already = heldFor(table, place.taskId(), place.placementId());
        if (already.isPresent()) {
            return CompletableFuture.completedFuture(new TaskInput.Placed(place.taskId(), place.placementId(), already.get().deviceId(),
                    "reserved for this placement already"));
        }
        Map<String, String> excluded = new HashMap<>();
        table.forEach((deviceId, held) -> {
            if (!held.taskId().equals(place.taskId()) && !held.staleAt(now, idleTimeout)) {
                excluded.put(deviceId, "runs task " + held.taskId());
            }
        });
        for (String lost : place.exclude()) {
            excluded.put(lost, "was lost by this task");
        }
        CommandRequested observe = new CommandRequested(place.placementId(), place.deviceId(), Delivery.UNICAST, place.strategy(),
                place.requirements(), CommandAction.OBSERVE, null);
        RoutingDecision decision = router.route(fleet, observe, excluded);
        if (decision instanceof RoutingDecision.Refused refused) {
            return CompletableFuture.completedFuture(new TaskInput.NotPlaced(place.taskId(), place.placementId(),
                    refused.problems().stream().map(Problem::message).collect(Collectors.joining("; "))));
        }
        RoutingDecision.Target target = ((RoutingDecision.Routed) decision).targets().get(0);
        DeviceReservation reservation = new DeviceReservation(target.deviceId(), tenant, place.taskId(), place.placementId(), now, now);
        return table.put(target.deviceId(), reservation).thenApply(written -> new TaskInput.Placed(place.taskId(), place.placementId(),
                target.deviceId(), target.reason()));
    }

    /** Ends the task's reservation of the device, if the task still holds it. */
    public CompletableFuture<Void> release(String tenant, TaskEffect.ReleaseDevice release) {
        return reservations.table(tenant).thenCompose(table -> sequencer.submit(tenant, () -> {
            Optional<DeviceReservation> held = table.get(release.deviceId());
            if (held.isEmpty() || !held.get().taskId().equals(release.taskId())) {
                return CompletableFuture.completedFuture(null);
            }
            return table.remove(release.deviceId());
        }));
    }

    /**
     * Renews the task's reservation of the device at {@code now} when it is older than a quarter of the idle timeout (a write
     * every few minutes per running task, not one per step).
     */
    public CompletableFuture<Void> renew(String tenant, String taskId, String deviceId, Instant now) {
        return reservations.table(tenant).thenCompose(table -> {
            Optional<DeviceReservation> held = table.get(deviceId);
            if (held.isEmpty() || !held.get().taskId().equals(taskId) || held.get().renewedAt().plus(idleTimeout.dividedBy(4)).isAfter(now)) {
                return CompletableFuture.completedFuture(null);
            }
            return sequencer.submit(tenant, () -> {
                Optional<DeviceReservation> still = table.get(deviceId);
                return still.isPresent() && still.get().taskId().equals(taskId) ? table.put(deviceId, still.get().renewed(now))
                        : CompletableFuture.<Void>completedFuture(null);
            });
        });
    }

    /** The reservation of {@code deviceId}, stale or not. */
    public CompletableFuture<Optional<DeviceReservation>> reservation(String tenant, String deviceId) {
        return reservations.table(tenant).thenApply(table -> table.get(deviceId));
    }

    private static Optional<DeviceReservation> heldFor(StateTable<DeviceReservation> table, String taskId, String placementId) {
        DeviceReservation[] found = new DeviceReservation[1];
        table.forEach((deviceId, held) -> {
            if (held.taskId().equals(taskId) && Objects.equals(held.placementId(), placementId)) {
                found[0] = held;
            }
        });
        return Optional.ofNullable(found[0]);
    }
}
