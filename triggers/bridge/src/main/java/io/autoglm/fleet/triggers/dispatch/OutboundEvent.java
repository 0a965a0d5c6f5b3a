package io.autoglm.fleet.triggers.dispatch;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An event as an HTTP request of the CloudEvents HTTP binding in binary mode: {@code ce-*} headers
 * (values percent-encoded as the binding requires), {@code Content-Type}, and the data as the body.
 */
public record OutboundEvent(List<Map.Entry<String, String>> headers, byte[] body) {
    public OutboundEvent {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }
}
