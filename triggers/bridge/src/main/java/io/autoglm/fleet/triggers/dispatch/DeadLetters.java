package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import java.net.URI;
import java.util.List;
import java.util.OptionalInt;

/**
 * The dead letter of an event a Trigger could not deliver: the original event, every attribute
 * kept, plus Knative's error extensions ({@code knativeerrordest}: the subscriber,
 * {@code knativeerrorcode}: its HTTP status when it answered, {@code knativeerrordata}: what went
 * wrong, in words), {@code deliveryattempts}, and where it came from ({@code errortrigger}: the
 * Trigger, {@code errortopic}: the topic it was read from), so that it can be replayed there.
 */
public final class DeadLetters {

    /** Longest failure reason kept in {@code knativeerrordata}. */
    public static final int MAX_REASON = 1024;

    /** What a dead letter adds to its event; a replay takes them off again. */
    private static final List<String> ANNOTATIONS = List.of(Extensions.ERROR_DEST, Extensions.ERROR_CODE, Extensions.ERROR_DATA,
            Extensions.DELIVERY_ATTEMPTS, Extensions.ERROR_TRIGGER, Extensions.ERROR_TOPIC);

    private DeadLetters() {
    }

    /**
     * @param trigger the Trigger's id ({@code namespace/name})
     * @param topic   the topic the event was read from
     */
    public static CloudEvent of(CloudEvent original, URI destination, OptionalInt status, String reason, int attempts, String trigger,
            String topic) {
        CloudEventBuilder builder = CloudEventBuilder.v1(original)
                .withExtension(Extensions.ERROR_DEST, destination.toString())
                .withExtension(Extensions.ERROR_DATA, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason)
                .withExtension(Extensions.DELIVERY_ATTEMPTS, attempts)
                .withExtension(Extensions.ERROR_TRIGGER, trigger)
                .withExtension(Extensions.ERROR_TOPIC, topic)
                .withoutExtension(Extensions.REPLAY_FOR);
        status.ifPresent(code -> builder.withExtension(Extensions.ERROR_CODE, code));
        return builder.build();
    }

    /** The Trigger that dead-lettered the event, or null (a function's own dead letter, posted to the sink). */
    public static String triggerOf(CloudEvent letter) {
        return Events.extension(letter, Extensions.ERROR_TRIGGER);
    }

    /** The topic the event was read from, or null when the dead letter does not say. */
    public static String topicOf(CloudEvent letter) {
        return Events.extension(letter, Extensions.ERROR_TOPIC);
    }

    /**
     * The event of a dead letter, to deliver again: as it was before it failed, and for the Trigger that
     * could not deliver it only ({@code replayfor}), so that the other Triggers of its topic do not get it twice.
     */
    public static CloudEvent replayOf(CloudEvent letter) {
        String trigger = triggerOf(letter);
        CloudEventBuilder builder = CloudEventBuilder.v1(letter);
        ANNOTATIONS.forEach(builder::withoutExtension);
        if (trigger != null) {
            builder.withExtension(Extensions.REPLAY_FOR, trigger);
        }
        return builder.build();
    }
}
