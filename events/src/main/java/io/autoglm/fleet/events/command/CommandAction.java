package io.autoglm.fleet.events.command;

import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.device.AgentAction;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** An agent action to run on a device with its arguments ({@code app}, {@code element}, {@code text}, ...). */
public record CommandAction(AgentAction type, Map<String, String> params) {

    /** Take a screenshot and read the app in front: the observation that begins each step of an agent task. */
    public static final CommandAction OBSERVE = new CommandAction(AgentAction.OBSERVE, Map.of());

    public CommandAction {
        Objects.requireNonNull(type, "type");
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    /**
     * The command that carries a model's step out on the device, with the arguments the device agent reads (points as
     * {@code [x,y]}, relative 0-999); empty for the steps that touch no device: {@code finish}, {@code Wait} (a delayed
     * message, not a sleeping device), {@code Note}, {@code Call_API}, {@code Interact} and {@code Take_over} (a person's).
     */
    public static Optional<CommandAction> forStep(StepAction step) {
        Objects.requireNonNull(step, "step");
        CommandAction action;
        if (step instanceof StepAction.Launch launch) {
            action = new CommandAction(AgentAction.LAUNCH, Map.of("app", launch.app()));
        } else if (step instanceof StepAction.Tap tap) {
            action = new CommandAction(AgentAction.TAP, Map.of("element", tap.element().toString()));
        } else if (step instanceof StepAction.Type type) {
            action = new CommandAction(type.personName() ? AgentAction.TYPE_NAME : AgentAction.TYPE, Map.of("text", type.text()));
        } else if (step instanceof StepAction.Swipe swipe) {
            action = new CommandAction(AgentAction.SWIPE, Map.of("start", swipe.start().toString(), "end", swipe.end().toString()));
        } else if (step instanceof StepAction.LongPress press) {
            action = new CommandAction(AgentAction.LONG_PRESS, Map.of("element", press.element().toString()));
        } else if (step instanceof StepAction.DoubleTap tap) {
            action = new CommandAction(AgentAction.DOUBLE_TAP, Map.of("element", tap.element().toString()));
        } else if (step instanceof StepAction.Back) {
            action = new CommandAction(AgentAction.BACK, Map.of());
        } else if (step instanceof StepAction.Home) {
            action = new CommandAction(AgentAction.HOME, Map.of());
        } else {
            action = null;
        }
        return Optional.ofNullable(action);
    }
}
