package io.autoglm.fleet.events.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The Open-AutoGLM phone-agent action space. Devices declare which of these they can execute;
 * commands name one. The wire names are the agent's own ("Long Press", "Take_over").
 */
public enum AgentAction {
    LAUNCH("Launch"),
    TAP("Tap"),
    TYPE("Type"),
    TYPE_NAME("Type_Name"),
    INTERACT("Interact"),
    SWIPE("Swipe"),
    NOTE("Note"),
    CALL_API("Call_API"),
    LONG_PRESS("Long Press"),
    DOUBLE_TAP("Double Tap"),
    TAKE_OVER("Take_over"),
    BACK("Back"),
    HOME("Home"),
    WAIT("Wait"),
    /** Not a model action: take a screenshot and read the app in front, no input (the observation step of an agent task). */
    OBSERVE("Observe");

    private final String wireName;

    AgentAction(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Looks an action up by its wire name; {@code IllegalArgumentException} names the valid ones. */
    @JsonCreator
    public static AgentAction fromWireName(String name) {
        for (AgentAction action : values()) {
            if (action.wireName.equals(name)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown agent action '" + name + "'");
    }
}
