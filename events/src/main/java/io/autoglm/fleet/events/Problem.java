package io.autoglm.fleet.events;

import java.util.Objects;

/**
 * One thing wrong with an input, said so a person can fix it.
 *
 * @param location where: a CloudEvents attribute name ({@code time}), or a path into the data
 *                 ({@code data.hardware.memoryMb}); empty for the event as a whole
 * @param message  the whole sentence, location included, e.g.
 *                 "data.hardware.memoryMb must be >= 64, got -5"
 */
public record Problem(String location, String message) {
    public Problem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return message;
    }
}
