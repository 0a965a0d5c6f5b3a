package io.autoglm.fleet.deviceagent.protocol;

/** Why the agent gave up: nothing it can retry will help (the token or the declaration was refused, nothing to connect with). */
public final class AgentStoppedException extends RuntimeException {

    public AgentStoppedException(String message) {
        super(message);
    }
}
