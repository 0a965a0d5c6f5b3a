package io.autoglm.fleet.events;

/**
 * Groups event types that share a Pulsar topic per tenant. Heartbeats, liveness timers, the
 * commands devices consume and a task's own status get their own families because their volume, retention and readers
 * differ from lifecycle events.
 */
public enum EventFamily {
    DEVICE("device"),
    HEARTBEAT("heartbeat"),
    LIVENESS("liveness"),
    /** Liveness deadlines: Pulsar delayed messages read only by the heartbeat function. */
    DEADLINE("deadline"),
    COMMAND("command"),
    /** What devices consume: dispatched commands and inference placed on them, keyed by device id. */
    DEVICE_COMMAND("device-commands"),
    /** What devices and the service say about commands (accepted, completed, failed, declined, ...), and cancel requests. */
    COMMAND_STATUS("command-status"),
    /** Command deadlines (delivery TTL, execution timeout): Pulsar delayed messages read only by the commands function. */
    COMMAND_DEADLINE("command-deadline"),
    /** Devices connecting to and leaving gateway replicas. */
    PRESENCE("presence"),
    /** Frames only between a gateway and a device's socket (credentials, errors, draining); never written to a topic. */
    DEVICE_SESSION("device-session"),
    INFERENCE("inference"),
    MODEL("model"),
    /** What is asked of tasks from outside: task requests, cancels, a person's answers to a paused step; read by the agent function. */
    TASK("task"),
    /** What the agent function says of tasks: assigned, each step, questions to a person, hand-overs, how each ended. */
    TASK_STATUS("task-status"),
    /** Task timers (waits, step timeouts, a person's time to answer, deadlines): Pulsar delayed messages read only by the agent function. */
    TASK_TIMER("task-timer");

    private final String topicName;

    EventFamily(String topicName) {
        this.topicName = topicName;
    }

    /** The family's part of a topic name, e.g. {@code fleet.acme.heartbeat}. */
    public String topicName() {
        return topicName;
    }
}
