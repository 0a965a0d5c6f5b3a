package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.state.Reply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The router's word on each command and batch it routed lately, so that a request delivered again gets the same answer
 * rather than a second decision. Delivery is at-least-once: an acknowledgement lost, a reply whose write failed after it
 * was made, a delivery that timed out while the router was still answering; a second decision can pick another device,
 * and one command would then run on two. Bounded: the oldest are forgotten first, and any after {@code keep}. A replica
 * remembers only what it decided; a request redelivered to another replica is decided again there (the commands function
 * then withdraws the second device's copy).
 */
final class RoutingMemory {

    private record Entry(Reply reply, Instant at) {
    }

    private final int capacity;
    private final Duration keep;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> decided;

    RoutingMemory(int capacity, Duration keep, Clock clock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
        this.keep = Objects.requireNonNull(keep, "keep");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.decided = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > RoutingMemory.this.capacity;
            }
        };
    }

    /** The reply given to request {@code id} of {@code tenant}, if it was routed here within {@code keep}. */
    synchronized Optional<Reply> recall(String tenant, String id) {
        String key = key(tenant, id);
        Entry entry = decided.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.at().plus(keep).isBefore(clock.instant())) {
            decided.remove(key);
            return Optional.empty();
        }
        return Optional.of(entry.reply());
    }

    /** Keeps {@code reply} as the answer to request {@code id} of {@code tenant}; the first answer stays. */
    synchronized Reply remember(String tenant, String id, Reply reply) {
        Objects.requireNonNull(reply, "reply");
        if (capacity == 0) {
            return reply;
        }
        Entry first = decided.putIfAbsent(key(tenant, id), new Entry(reply, clock.instant()));
        return first == null ? reply : first.reply();
    }

    synchronized int size() {
        return decided.size();
    }

    private static String key(String tenant, String id) {
        return tenant + '\u0000' + id;
    }
}
