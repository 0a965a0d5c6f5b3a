package io.autoglm.fleet.simulator.agent;

import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.simulator.phone.PhoneActionFailed;
import io.autoglm.fleet.simulator.phone.SimulatedPhone;

import java.util.Map;

/** The model's steps carried out on a simulated phone, as the stack would: a command to the device, or for a take-over a person at it. */
final class StepsOnPhone {

    private StepsOnPhone() {
    }

    /** What the stack does with a step: the action as a command on the device; a take-over, a person at the phone. */
    static void carryOut(StepAction action, SimulatedPhone phone) throws PhoneActionFailed {
        if (action instanceof StepAction.TakeOver) {
            phone.takeOver();
            return;
        }
        CommandAction command;
        if (action instanceof StepAction.Launch launch) {
            command = new CommandAction(AgentAction.LAUNCH, Map.of("app", launch.app()));
        } else if (action instanceof StepAction.Tap tap) {
            command = new CommandAction(AgentAction.TAP, Map.of("element", tap.element().toString()));
        } else if (action instanceof StepAction.Type type) {
            command = new CommandAction(AgentAction.TYPE, Map.of("text", type.text()));
        } else if (action instanceof StepAction.Swipe swipe) {
            command = new CommandAction(AgentAction.SWIPE, Map.of("start", swipe.start().toString(), "end", swipe.end().toString()));
        } else if (action instanceof StepAction.Wait wait) {
            command = new CommandAction(AgentAction.WAIT, Map.of("duration", wait.duration().toSeconds() + " seconds"));
        } else if (action instanceof StepAction.Back) {
            command = new CommandAction(AgentAction.BACK, Map.of());
        } else if (action instanceof StepAction.Home) {
            command = new CommandAction(AgentAction.HOME, Map.of());
        } else {
            throw new AssertionError("the planner does not " + action.name());
        }
        phone.execute(command);
    }
}
