package io.autoglm.fleet.deviceagent.protocol;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The ids of the commands this device has taken (run, or dropped when canceled): delivery is
 * at-least-once, so a command that comes down again must not run again. Bounded (the oldest id goes
 * first) and kept in the state directory, so a restarted agent still knows them.
 */
final class CommandsTaken {

    private final int capacity;
    private final StateDirectory state;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();

    CommandsTaken(int capacity, StateDirectory state) {
        if (capacity < 1) {
            throw new IllegalArgumentException("remember at least one command id");
        }
        this.capacity = capacity;
        this.state = Objects.requireNonNull(state, "state");
        for (String id : state.commandsTaken()) {
            remember(id);
        }
    }

    synchronized boolean contains(String commandId) {
        return ids.contains(commandId);
    }

    /** Records the id (and persists the set); false when it was already there. */
    synchronized boolean add(String commandId) {
        if (!remember(commandId)) {
            return false;
        }
        state.saveCommandsTaken(new ArrayList<>(ids));
        return true;
    }

    synchronized List<String> ids() {
        return List.copyOf(ids);
    }

    private boolean remember(String commandId) {
        if (!ids.add(commandId)) {
            return false;
        }
        Iterator<String> oldest = ids.iterator();
        while (ids.size() > capacity) {
            oldest.next();
            oldest.remove();
        }
        return true;
    }
}
