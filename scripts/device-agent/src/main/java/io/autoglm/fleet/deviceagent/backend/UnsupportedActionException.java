package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.device.AgentAction;

/** The backend does not do this action at all (it is not in its declared {@code supportedActions}). */
public final class UnsupportedActionException extends BackendException {

    private final AgentAction action;

    public UnsupportedActionException(AgentAction action, String why) {
        super(action.wireName() + " is not supported here: " + why, null);
        this.action = action;
    }

    public AgentAction action() {
        return action;
    }
}
