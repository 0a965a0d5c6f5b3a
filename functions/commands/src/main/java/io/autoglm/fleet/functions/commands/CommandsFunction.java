package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.commands.CommandInput;
import io.autoglm.fleet.events.EventTypeNames;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.command.CommandCancelRequested;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandProgress;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.functions.runtime.Replies;
import io.autoglm.fleet.state.Reply;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The command lifecycle as a Funqy Knative function ({@link CommandService} decides and writes; see
 * {@code CommandLifecycle} for the transitions).
 *
 * <ul>
 * <li>{@code io.autoglm.command.dispatched} (the router's, on a device's command topic) and
 * {@code io.autoglm.command.batch.dispatched} -> the command QUEUED in the state table, its delivery deadline scheduled;
 * no reply.</li>
 * <li>{@code io.autoglm.command.delivered / accepted / progress / completed / failed / declined} (the gateway's and the
 * device's) -> the command moved, or the result recorded as late; no reply. A batch whose last member ended is announced
 * with {@code io.autoglm.command.batch.completed}.</li>
 * <li>{@code io.autoglm.command.cancel.requested} -> {@code io.autoglm.command.canceled} to the device's command topic,
 * or {@code io.autoglm.command.cancel.rejected} for a command that has ended or is not known.</li>
 * <li>{@code io.autoglm.command.deadline} (its own timers, Pulsar delayed messages) -> {@code io.autoglm.command.expired}
 * or {@code io.autoglm.command.timed.out} when the command was still at that stage, else no reply.</li>
 * <li>{@code io.autoglm.device.connected} -> the device's commands still QUEUED or DELIVERED written to its command topic
 * again, in dispatch order; no reply.</li>
 * </ul>
 * An event that contradicts the record (a device reporting on another device's command) is answered 400 with the reason,
 * which the dispatcher does not retry and dead-letters.
 */
@Singleton
public class CommandsFunction {

    @Inject
    CommandService commands;

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_DISPATCHED)
    public Uni<CloudEvent<Object>> dispatched(CloudEvent<CommandDispatched> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.Dispatched(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_BATCH_DISPATCHED)
    public Uni<CloudEvent<Object>> batchDispatched(CloudEvent<CommandBatchDispatched> event) {
        return answer(() -> commands.batchDispatched(tenant(event), event.id(), event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_DELIVERED)
    public Uni<CloudEvent<Object>> delivered(CloudEvent<CommandDelivered> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.Delivered(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_ACCEPTED)
    public Uni<CloudEvent<Object>> accepted(CloudEvent<CommandAccepted> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.Accepted(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_PROGRESS)
    public Uni<CloudEvent<Object>> progress(CloudEvent<CommandProgress> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.Progress(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_COMPLETED)
    public Uni<CloudEvent<Object>> completed(CloudEvent<CommandCompleted> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.Completed(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_FAILED)
    public Uni<CloudEvent<Object>> failed(CloudEvent<CommandFailed> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.Failed(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_DECLINED)
    public Uni<CloudEvent<Object>> declined(CloudEvent<CommandDeclined> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.Declined(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_CANCEL_REQUESTED)
    public Uni<CloudEvent<Object>> cancel(CloudEvent<CommandCancelRequested> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.CancelRequested(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_DEADLINE)
    public Uni<CloudEvent<Object>> deadline(CloudEvent<CommandDeadline> event) {
        return answer(() -> commands.apply(tenant(event), new CommandInput.Deadline(event.id(), event.data())));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_CONNECTED)
    public Uni<CloudEvent<Object>> connected(CloudEvent<DevicePresence> event) {
        return answer(() -> commands.connected(tenant(event), event.data()));
    }

    private static Uni<CloudEvent<Object>> answer(Supplier<CompletableFuture<Reply>> work) {
        return Uni.createFrom().completionStage(work).map(CommandsFunction::toCloudEvent);
    }

    /** The event's tenant; the contract's validation at the edge has already refused an event without one. */
    private static String tenant(CloudEvent<?> event) {
        String tenant = Replies.tenant(event);
        if (tenant == null) {
            throw new InvalidEventException(List.of(new Problem("tenant", "a command event needs the tenant extension")));
        }
        return tenant;
    }

    static CloudEvent<Object> toCloudEvent(Reply reply) {
        return reply == null ? null : Replies.reply(reply.type(), reply.payload(), reply.tenant(), reply.partitionKey());
    }
}
