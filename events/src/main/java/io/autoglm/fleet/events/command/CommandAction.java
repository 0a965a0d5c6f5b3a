package io.autoglm.fleet.events.command;

import io.autoglm.fleet.events.device.AgentAction;

import java.util.Map;
import java.util.Objects;

/** An agent action to run on a device with its arguments ({@code app}, {@code element}, {@code text}, ...). */
public record CommandAction(AgentAction type, Map<String, String> params) {
    public CommandAction {
        Objects.requireNonNull(type, "type");
        params = params == null ? Map.of() : Map.copyOf(params);
    }
}
