package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandCancelRequested;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandProgress;

import java.util.Objects;

/**
 * One event about one command, as {@link CommandLifecycle} takes it: the payload and the id of the event that carried
 * it (a redelivered copy has the same id and changes nothing). A closed set: every case is decided.
 */
public sealed interface CommandInput {

    /** The id of the event that carried this input. */
    String eventId();

    /** The command it concerns. */
    String commandId();

    /** The device that spoke, or the command's device; null for a cancel request (the operator's). */
    String deviceId();

    /** The event's type. */
    EventType type();

    /** The router placed the command on its device's topic (or this function re-sent it). */
    record Dispatched(String eventId, CommandDispatched dispatched) implements CommandInput {
        public Dispatched {
            Objects.requireNonNull(dispatched, "dispatched");
        }

        public String commandId() {
            return dispatched.commandId();
        }

        public String deviceId() {
            return dispatched.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_DISPATCHED;
        }
    }

    /** One member of a batch, from the batch's {@code command.batch.dispatched}: the dispatch and how many members the batch has. */
    record BatchMember(String eventId, CommandDispatched dispatched, int batchSize) implements CommandInput {
        public BatchMember {
            Objects.requireNonNull(dispatched, "dispatched");
            Objects.requireNonNull(dispatched.batchId(), "a batch member has a batch id");
        }

        public String commandId() {
            return dispatched.commandId();
        }

        public String deviceId() {
            return dispatched.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_BATCH_DISPATCHED;
        }
    }

    record Delivered(String eventId, CommandDelivered delivered) implements CommandInput {
        public String commandId() {
            return delivered.commandId();
        }

        public String deviceId() {
            return delivered.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_DELIVERED;
        }
    }

    record Accepted(String eventId, CommandAccepted accepted) implements CommandInput {
        public String commandId() {
            return accepted.commandId();
        }

        public String deviceId() {
            return accepted.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_ACCEPTED;
        }
    }

    record Progress(String eventId, CommandProgress progress) implements CommandInput {
        public String commandId() {
            return progress.commandId();
        }

        public String deviceId() {
            return progress.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_PROGRESS;
        }
    }

    record Completed(String eventId, CommandCompleted completed) implements CommandInput {
        public String commandId() {
            return completed.commandId();
        }

        public String deviceId() {
            return completed.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_COMPLETED;
        }
    }

    record Failed(String eventId, CommandFailed failed) implements CommandInput {
        public String commandId() {
            return failed.commandId();
        }

        public String deviceId() {
            return failed.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_FAILED;
        }
    }

    record Declined(String eventId, CommandDeclined declined) implements CommandInput {
        public String commandId() {
            return declined.commandId();
        }

        public String deviceId() {
            return declined.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_DECLINED;
        }
    }

    record CancelRequested(String eventId, CommandCancelRequested cancel) implements CommandInput {
        public String commandId() {
            return cancel.commandId();
        }

        public String deviceId() {
            return null;
        }

        public EventType type() {
            return EventType.COMMAND_CANCEL_REQUESTED;
        }
    }

    /** One of this function's own deadlines, back as a delayed message. */
    record Deadline(String eventId, CommandDeadline deadline) implements CommandInput {
        public String commandId() {
            return deadline.commandId();
        }

        public String deviceId() {
            return deadline.deviceId();
        }

        public EventType type() {
            return EventType.COMMAND_DEADLINE;
        }
    }
}
