package io.autoglm.fleet.deviceagent.backend;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** What one device tool invocation gave back: the command it ran, its exit code, stdout as bytes, stderr as text. */
public record CommandResult(List<String> command, int exitCode, byte[] stdout, String stderr) {

    public CommandResult {
        command = List.copyOf(command);
        Objects.requireNonNull(stdout, "stdout");
        stderr = stderr == null ? "" : stderr;
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** stdout and stderr together, as Open-AutoGLM reads a tool's answer. */
    public String output() {
        return stdoutText() + stderr;
    }
}
