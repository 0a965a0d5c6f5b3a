package io.autoglm.fleet.deviceagent.backend;

import java.util.List;

/** A device tool ran and exited non-zero (or answered nonsense); the message names the command and its stderr. */
public final class CommandFailedException extends BackendException {

    private final List<String> command;
    private final int exitCode;
    private final String stderr;

    public CommandFailedException(CommandResult result, String why) {
        super("'" + String.join(" ", result.command()) + "' " + why + " (exit " + result.exitCode() + ")"
                + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()), null);
        this.command = result.command();
        this.exitCode = result.exitCode();
        this.stderr = result.stderr();
    }

    public List<String> command() {
        return command;
    }

    public int exitCode() {
        return exitCode;
    }

    public String stderr() {
        return stderr;
    }
}
