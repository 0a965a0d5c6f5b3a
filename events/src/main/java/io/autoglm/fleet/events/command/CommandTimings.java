package io.autoglm.fleet.events.command;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Duration;
import java.time.Instant;

/** When the device received a command, started it and finished it, by the device's clock. Any may be null. */
public record CommandTimings(Instant receivedAt, Instant startedAt, Instant finishedAt) {

    /** How long the action ran on the device, when both ends are known. */
    @JsonIgnore
    public Duration execution() {
        return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
