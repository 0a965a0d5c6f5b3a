package io.autoglm.fleet.simulator.phone;

import io.autoglm.fleet.events.command.CommandFailureReason;

import java.util.Objects;

/** A command a simulated phone could not carry out (an app it does not have, a point it cannot read), with the reason a device reports. */
public final class PhoneActionFailed extends Exception {

    private final CommandFailureReason reason;

    public PhoneActionFailed(CommandFailureReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public CommandFailureReason reason() {
        return reason;
    }
}
