package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.command.CommandBatchCompleted;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A batch's outcome from its members' records: none while its size is unknown (its {@code command.batch.dispatched} not seen
 * yet: the members seen so far may not be all), a member is missing or one has not ended; otherwise succeeded when every
 * member SUCCEEDED, with the others named in {@code failed} in the order they were dispatched.
 */
public final class BatchOutcome {

    private BatchOutcome() {
    }

    public static Optional<CommandBatchCompleted> of(String batchId, Collection<CommandRecord> members) {
        Integer size = null;
        for (CommandRecord member : members) {
            if (!batchId.equals(member.batchId())) {
                throw new IllegalArgumentException("command " + member.commandId() + " is not a member of batch " + batchId);
            }
            if (!member.state().terminal()) {
                return Optional.empty();
            }
            if (member.batchSize() != null) {
                size = member.batchSize();
            }
        }
        if (size == null || members.size() < size) {
            return Optional.empty();
        }
        List<CommandRecord> ordered = members.stream().sorted(Comparator.comparingLong(CommandRecord::sequence)
                .thenComparing(CommandRecord::commandId)).toList();
        Map<String, CommandState> states = new LinkedHashMap<>();
        ordered.forEach(member -> states.put(member.commandId(), member.state()));
        List<String> failed = ordered.stream().filter(member -> member.state() != CommandState.SUCCEEDED).map(CommandRecord::commandId).toList();
        return Optional.of(new CommandBatchCompleted(batchId, failed.isEmpty(), states, failed));
    }
}
