package io.autoglm.fleet.commands;

/** What {@link CommandLifecycle} made of one input. */
public enum Verdict {
    /** The command moved to another state. */
    MOVED,
    /** The record changed but not its state: a delivery counted, progress noted, the dispatch of an orphan filled in. */
    NOTED,
    /** A result for a command never dispatched (yet): kept as an orphan record, reconciled when its dispatch arrives. */
    ORPHAN,
    /** A result after the command had ended: recorded in its history and counted as late, never applied. */
    LATE,
    /** A result the command's state does not allow (a decline after the device accepted it): recorded, not applied. */
    REFUSED,
    /** Nothing to do: a redelivered copy, a second dispatch or accept, a deadline of a stage already passed, an unknown cancel. */
    UNCHANGED
}
