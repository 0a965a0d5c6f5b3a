package io.autoglm.fleet.agent;

/** What {@link TaskSession} made of one input. */
public enum Verdict {
    /** The task moved: a new phase, step, pause or end. */
    APPLIED,
    /** Taken, to act on later: a cancel waiting for the command in flight. */
    DEFERRED,
    /** Not applied: a copy of an input already taken, an answer for an older step, anything for an ended or unknown task. */
    IGNORED
}
