package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.Extensions;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import java.net.URI;
import java.util.OptionalInt;

/**
 * The dead letter of an event a Trigger could not deliver: the original event, every attribute
 * kept, plus Knative's error extensions ({@code knativeerrordest}: the subscriber,
 * {@code knativeerrorcode}: its HTTP status when it answered, {@code knativeerrordata}: what went
 * wrong, in words) and {@code deliveryattempts}.
 */
public final class DeadLetters {

    /** Longest failure reason kept in {@code knativeerrordata}. */
    public static final int MAX_REASON = 1024;

    private DeadLetters() {
    }

    public static CloudEvent of(CloudEvent original, URI destination, OptionalInt status, String reason, int attempts) {
        CloudEventBuilder builder = CloudEventBuilder.v1(original)
                .withExtension(Extensions.ERROR_DEST, destination.toString())
                .withExtension(Extensions.ERROR_DATA, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason)
                .withExtension(Extensions.DELIVERY_ATTEMPTS, attempts);
        status.ifPresent(code -> builder.withExtension(Extensions.ERROR_CODE, code));
        return builder.build();
    }
}
