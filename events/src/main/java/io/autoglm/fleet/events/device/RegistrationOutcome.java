package io.autoglm.fleet.events.device;

/** What a registration did to the registry: a new device, a changed declaration, or nothing. */
public enum RegistrationOutcome {
    CREATED,
    UPDATED,
    UNCHANGED
}
